using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Tests.Queries;

[TestClass]
public sealed class FindingFiltersTests
{
    [TestMethod]
    public void Parse_ValidFilters_KeepsFieldsInOrder()
    {
        var filters = FindingFilters.Parse("""{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}],"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}]}""");

        CollectionAssert.AreEqual(new[] { "SeverityLabel", "RecordState" }, filters.Fields.Select(f => f.Key).ToList());
    }

    [TestMethod]
    public void Parse_Blank_IsNone()
    {
        Assert.AreSame(FindingFilters.None, FindingFilters.Parse("  "));
    }

    [TestMethod]
    [DataRow("{\"SeverityLabel\":", "not valid JSON")]
    [DataRow("[]", "must be a JSON object")]
    [DataRow("\"CRITICAL\"", "must be a JSON object")]
    [DataRow("{\"SeverityLabel\":{\"Value\":\"CRITICAL\"}}", "\"SeverityLabel\" must be an array")]
    [DataRow("{\"SeverityLabel\":[\"CRITICAL\"]}", "\"SeverityLabel\"[0] must be a filter object")]
    [DataRow("{\"UpdatedAt\":[{\"DateRange\":{\"Value\":7,\"Unit\":\"DAYS\"}}]}", "give the export a since instant")]
    [DataRow("{\"updatedAt\":[]}", "give the export a since instant")]
    [DataRow("{\"Id\":[],\"Id\":[]}", "twice")]
    public void Parse_Invalid_ThrowsSayingWhatIsWrong(string json, string expected)
    {
        var error = Assert.ThrowsExactly<InvalidFiltersException>(() => FindingFilters.Parse(json));

        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void Fingerprint_SameText_Same_OtherText_Different()
    {
        const string Critical = """{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}]}""";

        var a = FindingFilters.Parse(Critical);
        var b = FindingFilters.Parse(Critical);
        var c = FindingFilters.Parse(Critical.Replace("CRITICAL", "HIGH", StringComparison.Ordinal));

        Assert.AreEqual(a.Fingerprint, b.Fingerprint);
        Assert.AreNotEqual(a.Fingerprint, c.Fingerprint);
        Assert.AreNotEqual(a.Fingerprint, FindingFilters.None.Fingerprint);
    }
}
