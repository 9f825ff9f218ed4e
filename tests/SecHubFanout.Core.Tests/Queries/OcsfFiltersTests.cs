using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Tests.Queries;

[TestClass]
public sealed class OcsfFiltersTests
{
    private const string Critical = """{"StringFilters":[{"FieldName":"severity","Filter":{"Value":"Critical","Comparison":"EQUALS"}}]}""";
    private const string Lambda = """{"StringFilters":[{"FieldName":"resources.type","Filter":{"Value":"AWS::Lambda::Function","Comparison":"EQUALS"}}]}""";

    private static readonly UpdatedAtWindow s_window = new(
        2,
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 1, 23, 59, 59, 999, TimeSpan.Zero));

    [TestMethod]
    public void Build_NoV2Filters_WindowOverModifiedTimeSortedAscending()
    {
        var body = Encoding.UTF8.GetString(FindingsQuery.Build(FindingFilters.NoneV2, s_window, 100).Span);

        Assert.AreEqual(
            """{"Filters":{"CompositeFilters":[{"DateFilters":[{"FieldName":"finding_info.modified_time_dt","Filter":{"Start":"2026-11-01T00:00:00.000Z","End":"2026-11-01T23:59:59.999Z"}}],"Operator":"AND"}],"CompositeOperator":"AND"},"SortCriteria":[{"Field":"finding_info.modified_time_dt","SortOrder":"asc"}],"MaxResults":100}""",
            body);
    }

    [TestMethod]
    public void Build_OrFilters_NestedAsOneCompositeSoTheWindowStillApplies()
    {
        var filters = FindingFilters.Parse($$"""{"CompositeOperator":"OR","CompositeFilters":[{{Critical}},{{Lambda}}]}""", FindingsApi.V2);

        using var body = JsonDocument.Parse(FindingsQuery.Build(filters, s_window, 50));

        var top = body.RootElement.GetProperty("Filters");
        Assert.AreEqual("AND", top.GetProperty("CompositeOperator").GetString());
        var composites = top.GetProperty("CompositeFilters").EnumerateArray().ToList();
        Assert.HasCount(2, composites);
        Assert.AreEqual("OR", composites[1].GetProperty("Operator").GetString());
        Assert.AreEqual(2, composites[1].GetProperty("NestedCompositeFilters").GetArrayLength());
    }

    [TestMethod]
    public void Build_AndFilters_AppendedAsWritten()
    {
        var filters = FindingFilters.Parse($$"""{"CompositeFilters":[{{Critical}},{{Lambda}}]}""", FindingsApi.V2);

        using var body = JsonDocument.Parse(FindingsQuery.Build(filters, s_window, 100));

        var composites = body.RootElement.GetProperty("Filters").GetProperty("CompositeFilters").EnumerateArray().ToList();
        Assert.HasCount(3, composites);
        Assert.AreEqual(JsonDocument.Parse(Critical).RootElement.GetRawText(), composites[1].GetRawText());
    }

    [TestMethod]
    public void OwnFindingsScope_V2_AddsAccountAndRegionAndKeepsTheUsersOr()
    {
        var filters = FindingFilters.Parse($$"""{"CompositeOperator":"OR","CompositeFilters":[{{Critical}},{{Lambda}}]}""", FindingsApi.V2);

        var scoped = OwnFindingsScope.Apply(filters, "111111111111", "eu-west-1");
        using var body = JsonDocument.Parse(FindingsQuery.Build(scoped, s_window, 100));

        Assert.AreEqual(FindingsApi.V2, scoped.Api);
        Assert.AreNotEqual(filters.Fingerprint, scoped.Fingerprint);
        var composites = body.RootElement.GetProperty("Filters").GetProperty("CompositeFilters").EnumerateArray().ToList();
        var scope = composites[1].GetProperty("StringFilters").EnumerateArray().Select(f => (f.GetProperty("FieldName").GetString(), f.GetProperty("Filter").GetProperty("Value").GetString())).ToList();
        CollectionAssert.AreEqual(new[] { ("cloud.account.uid", "111111111111"), ("cloud.region", "eu-west-1") }, scope);
        Assert.AreEqual("OR", composites[2].GetProperty("Operator").GetString(), "the user's OR is kept, nested");
    }

    [TestMethod]
    public void OwnFindingsScope_V2UserAlreadyFiltersTheAccount_OnlyRegionAdded()
    {
        var filters = FindingFilters.Parse("""{"CompositeFilters":[{"StringFilters":[{"FieldName":"cloud.account.uid","Filter":{"Value":"222222222222","Comparison":"EQUALS"}}]}]}""", FindingsApi.V2);

        var scoped = OwnFindingsScope.Apply(filters, "111111111111", "eu-west-1");

        var text = string.Join(",", scoped.Fields.Select(f => f.Value.GetRawText()));
        Assert.DoesNotContain("111111111111", text);
        StringAssert.Contains(text, "eu-west-1");
    }

    [TestMethod]
    [DataRow("""{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}]}""", "is not part of GetFindingsV2 filters")]
    [DataRow("""{"CompositeOperator":"XOR"}""", "CompositeOperator must be")]
    [DataRow("""{"CompositeFilters":{}}""", "must be an array")]
    [DataRow("""{"CompositeFilters":[{"Operator":"NOT"}]}""", "Operator must be")]
    [DataRow("""{"CompositeFilters":[{"Strings":[]}]}""", "is not part of a composite filter")]
    [DataRow("""{"CompositeFilters":[{"StringFilters":[{"Value":"x"}]}]}""", "FieldName")]
    [DataRow("""{"CompositeFilters":[{"NestedCompositeFilters":[{"DateFilters":[{"FieldName":"finding_info.modified_time_dt","Filter":{}}]}]}]}""", "--since")]
    [DataRow("""{"CompositeFilters":[{},{},{},{},{},{},{},{},{}]}""", "at most 8")]
    [DataRow("""[1]""", "must be a JSON object")]
    [DataRow("""{"CompositeFilters":[""", "not valid JSON")]
    public void Parse_V2FiltersTheExportCannotUse_ThrowsSayingWhy(string json, string expected)
    {
        var e = Assert.ThrowsExactly<InvalidFiltersException>(() => FindingFilters.Parse(json, FindingsApi.V2));

        StringAssert.Contains(e.Message, expected);
    }

    [TestMethod]
    public void Parse_NineCompositesUnderOr_Accepted()
    {
        var filters = FindingFilters.Parse("""{"CompositeOperator":"OR","CompositeFilters":[{},{},{},{},{},{},{},{},{}]}""", FindingsApi.V2);

        Assert.AreEqual(FindingsApi.V2, filters.Api);
    }

    [TestMethod]
    public void Fingerprint_SameTextOtherApi_Differs()
    {
        Assert.AreNotEqual(FindingFilters.None.Fingerprint, FindingFilters.NoneV2.Fingerprint);
        Assert.AreEqual(FindingFilters.NoneV2.Fingerprint, FindingFilters.Parse("  ", FindingsApi.V2).Fingerprint);
    }

    [TestMethod]
    public void PartitionPrefix_V2_BelowTheAccountsOcsfFolder()
    {
        var end = new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

        Assert.AreEqual(
            "findings/account_id=111111111111/ocsf/region=eu-west-1/export_date=2026-11-23/export_id=e1/",
            PartKeys.PartitionPrefix("e1", "111111111111", "eu-west-1", end, FindingsApi.V2));
        Assert.AreEqual(PartKeys.PartitionPrefix("e1", "111111111111", "eu-west-1", end), PartKeys.PartitionPrefix("e1", "111111111111", "eu-west-1", end, FindingsApi.V1));
    }

    [TestMethod]
    [DataRow("v2", FindingsApi.V2)]
    [DataRow(" V1 ", FindingsApi.V1)]
    public void FindingsApis_Parse_KnownNames(string name, FindingsApi expected) => Assert.AreEqual(expected, FindingsApis.Parse(name));

    [TestMethod]
    public void FindingsApis_Parse_Unknown_ThrowsNamingBoth()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => FindingsApis.Parse("v3"));

        StringAssert.Contains(e.Message, "v1 (GetFindings");
        StringAssert.Contains(e.Message, "v2 (GetFindingsV2");
    }
}
