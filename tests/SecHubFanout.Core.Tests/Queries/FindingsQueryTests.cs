using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Tests.Queries;

[TestClass]
public sealed class FindingsQueryTests
{
    private static readonly UpdatedAtWindow s_window = new(
        3,
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 1, 23, 59, 59, 999, TimeSpan.Zero));

    [TestMethod]
    public void Build_NoFilters_ExactBody()
    {
        var body = FindingsQuery.Build(FindingFilters.None, s_window, 100);

        Assert.AreEqual(
            """{"Filters":{"UpdatedAt":[{"Start":"2026-11-01T00:00:00.000Z","End":"2026-11-01T23:59:59.999Z"}]},"SortCriteria":[{"Field":"UpdatedAt","SortOrder":"asc"}],"MaxResults":100}""",
            Encoding.UTF8.GetString(body.Span));
    }

    [TestMethod]
    public void Build_UserFilters_AndedWithTheWindowUntouched()
    {
        const string UserFilter = """[{"Value":"Zürich – 東京","Comparison":"EQUALS"}]""";
        var filters = FindingFilters.Parse($$"""{"Title":{{UserFilter}},"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}]}""");

        var body = FindingsQuery.Build(filters, s_window, 50);

        var text = Encoding.UTF8.GetString(body.Span);
        StringAssert.Contains(text, $"\"Title\":{UserFilter}");
        using var document = JsonDocument.Parse(body);
        var filterNames = document.RootElement.GetProperty("Filters").EnumerateObject().Select(p => p.Name).ToList();
        CollectionAssert.AreEqual(new[] { "Title", "RecordState", "UpdatedAt" }, filterNames);
        Assert.AreEqual(50, document.RootElement.GetProperty("MaxResults").GetInt32());
    }

    [TestMethod]
    public void Build_SameInputs_ByteIdentical()
    {
        var filters = FindingFilters.Parse("""{"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}]}""");

        var first = FindingsQuery.Build(filters, s_window, 100);
        var second = FindingsQuery.Build(filters, s_window, 100);

        Assert.IsTrue(first.Span.SequenceEqual(second.Span));
    }

    [TestMethod]
    public void Build_PageSizeOverTheServiceMaximum_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FindingsQuery.Build(FindingFilters.None, s_window, 101));
    }
}
