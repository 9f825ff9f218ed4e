using System.Net;
using System.Text.Json;
using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Query;

/// <summary>GetFindings filters and sorting against the ground truth of the unfiltered findings.</summary>
[TestClass]
public sealed class FilterSemanticsTests
{
    private static SecurityHubEmulator _emulator = null!;
    private static SignedClient _client = null!;
    private static List<JsonElement> _all = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 600, GetFindingsRate = 10_000, GetFindingsBurst = 10_000 });
        _client = new SignedClient(_emulator.Endpoint);
        _all = await _client.GetAllFindingsAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task GetFindings_PositiveComparisonsOnOneField_AreOred()
    {
        var filters = new { Title = new[] { Cmp("CONTAINS", "KMS"), Cmp("CONTAINS", "MFA") } };

        var ids = await IdsAsync(filters);

        AssertSame(_all.Where(f => f.Str("Title")!.Contains("KMS", StringComparison.Ordinal) || f.Str("Title")!.Contains("MFA", StringComparison.Ordinal)), ids);
    }

    [TestMethod]
    public async Task GetFindings_NegativeComparisonsOnOneField_AreAnded()
    {
        var filters = new { WorkflowStatus = new[] { Cmp("NOT_EQUALS", "NEW"), Cmp("NOT_EQUALS", "RESOLVED") } };

        var ids = await IdsAsync(filters);

        AssertSame(_all.Where(f => f.Str("Workflow", "Status") is not ("NEW" or "RESOLVED")), ids);
    }

    [TestMethod]
    public async Task GetFindings_PrefixWithNotEquals_KeepsPrefixMatchesExceptTheExcluded()
    {
        var filters = new { GeneratorId = new[] { Cmp("PREFIX", "security-control/EC2"), Cmp("NOT_EQUALS", "security-control/EC2.2") } };

        var ids = await IdsAsync(filters);

        AssertSame(_all.Where(f => f.Str("GeneratorId")!.StartsWith("security-control/EC2", StringComparison.Ordinal) && f.Str("GeneratorId") != "security-control/EC2.2"), ids);
    }

    [TestMethod]
    public async Task GetFindings_SeveralAttributes_AreAnded()
    {
        var filters = new
        {
            ComplianceStatus = new[] { Cmp("EQUALS", "FAILED") },
            RecordState = new[] { Cmp("EQUALS", "ACTIVE") },
            ResourceType = new[] { Cmp("PREFIX", "AwsEc2") },
            ProductName = new[] { Cmp("NOT_CONTAINS", "Inspector") },
        };

        var ids = await IdsAsync(filters);

        AssertSame(_all.Where(f => f.Str("Compliance", "Status") == "FAILED" && f.Str("RecordState") == "ACTIVE" && f.Str("Resources", "Type")!.StartsWith("AwsEc2", StringComparison.Ordinal) && !f.Str("ProductName")!.Contains("Inspector", StringComparison.Ordinal)), ids);
    }

    [TestMethod]
    public async Task GetFindings_IdAndResourceIdEquals_FindsExactlyThoseFindings()
    {
        var target = _all[17];
        var filters = new { Id = new[] { Cmp("EQUALS", target.Id()) }, ResourceId = new[] { Cmp("EQUALS", target.Str("Resources", "Id")!) } };

        var ids = await IdsAsync(filters);

        CollectionAssert.AreEqual(new[] { target.Id() }, ids);
    }

    [TestMethod]
    public async Task GetFindings_DateRangeInDays_KeepsRecentFindings()
    {
        var now = DateTimeOffset.UtcNow;
        var filters = new { UpdatedAt = new[] { new { DateRange = new { Value = 30, Unit = "DAYS" } } } };

        var ids = await IdsAsync(filters);

        // The emulator's "now" is the start of the hour it started in; allow that much slack at the bound only.
        var expectedCore = _all.Where(f => f.Updated() >= now.AddDays(-30).AddHours(1)).Select(f => f.Id()).ToHashSet();
        Assert.IsTrue(expectedCore.IsSubsetOf(ids));
        Assert.IsTrue(ids.All(id => _all.First(f => f.Id() == id).Updated() >= now.AddDays(-30).AddHours(-1)));
    }

    [TestMethod]
    public async Task GetFindings_SortBySeverityThenUpdatedAt_OrdersAllPages()
    {
        var sort = new object[] { new { Field = "SeverityLabel", SortOrder = "asc" }, new { Field = "UpdatedAt", SortOrder = "desc" } };

        var sorted = await _client.GetAllFindingsAsync(sortCriteria: sort, maxResults: 33);

        var keys = sorted.Select(f => (Severity: f.Str("Severity", "Label")!, Updated: f.Updated())).ToList();
        var expected = keys.OrderBy(k => k.Severity, StringComparer.Ordinal).ThenByDescending(k => k.Updated).ToList();
        CollectionAssert.AreEqual(expected, keys);
        Assert.AreEqual(_all.Count, sorted.Select(f => f.Id()).Distinct().Count());
    }

    [TestMethod]
    [DataRow("""{"Filters":{"UpdatedAt":[{"Start":"2026-01-01T00:00:00Z"}]}}""", "End is missing")]
    [DataRow("""{"Filters":{"CreatedAt":[{"End":"2026-01-01T00:00:00Z"}]}}""", "Start is missing")]
    [DataRow("""{"Filters":{"NoSuchField":[{"Value":"x","Comparison":"EQUALS"}]}}""", "NoSuchField")]
    [DataRow("""{"Filters":{"Title":[{"Value":"x","Comparison":"LIKE"}]}}""", "LIKE")]
    [DataRow("""{"Filters":{"Title":[{"Value":"x","Comparison":"EQUALS"},{"Value":"y","Comparison":"NOT_EQUALS"}]}}""", "EQUALS")]
    [DataRow("""{"Filters":{"Title":[{"Value":"x","Comparison":"CONTAINS"},{"Value":"y","Comparison":"NOT_CONTAINS"}]}}""", "CONTAINS")]
    [DataRow("""{"Filters":{"UpdatedAt":[{"Start":"yesterday","End":"today"}]}}""", "ISO 8601")]
    [DataRow("""{"SortCriteria":[{"Field":"UpdatedAt","SortOrder":"up"}]}""", "asc or desc")]
    [DataRow("""{"MaxResults":"ten"}""", "maxResults")]
    [DataRow("""not json""", "not valid JSON")]
    public async Task GetFindings_InvalidInput_Answers400InvalidInputException(string body, string mentioned)
    {
        var reply = await _client.PostAsync("/findings", body);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        Assert.AreEqual("InvalidInputException", reply.ErrorType);
        StringAssert.Contains(reply.Json.GetProperty("Message").GetString(), mentioned);
    }

    [TestMethod]
    public void GeneratedFindings_UpdatedAt_HaveWholeHoursSharedInstantsAndNoTimeOrder()
    {
        var times = _all.Select(f => f.Str("UpdatedAt")!).ToList();

        Assert.IsGreaterThan(_all.Count / 10, times.Count(t => t.EndsWith(":00:00.000Z", StringComparison.Ordinal)), "too few whole-hour timestamps");
        Assert.IsTrue(times.GroupBy(t => t).Any(g => g.Count() >= 3), "no instant shared by several findings");
        Assert.IsTrue(times.All(t => t.Length == 24 && t[^1] == 'Z'), "not AWS's timestamp format");
        var parsed = _all.Select(f => f.Updated()).ToList();
        CollectionAssert.AreNotEqual(parsed.Order().ToList(), parsed, "default order is time order");
        CollectionAssert.AreNotEqual(parsed.OrderDescending().ToList(), parsed, "default order is reverse time order");
        Assert.IsTrue(parsed.Max() - parsed.Min() > TimeSpan.FromDays(90));
    }

    private static object Cmp(string comparison, string value) => new { Comparison = comparison, Value = value };

    private static async Task<List<string>> IdsAsync(object filters) =>
        [.. (await _client.GetAllFindingsAsync(filters, maxResults: 50)).Select(f => f.Id())];

    private static void AssertSame(IEnumerable<JsonElement> expected, List<string> actual)
    {
        var expectedIds = expected.Select(f => f.Id()).ToList();
        Assert.IsNotEmpty(expectedIds, "the test data should match something");
        Assert.IsLessThan(_all.Count, expectedIds.Count, "the filter should exclude something");
        CollectionAssert.AreEquivalent(expectedIds, actual);
    }
}
