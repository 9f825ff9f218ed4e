using System.Globalization;
using System.Text.Json;
using SecHubFanout.Emulator.Tests.Support;
using static SecHubFanout.Emulator.Tests.Support.SdkScripts;

namespace SecHubFanout.Emulator.Tests.Fidelity;

/// <summary>The emulator as AWS's own SDK for JavaScript sees it: paginator, modeled exceptions, filters, imports.</summary>
[TestClass]
public sealed class JavaScriptSdkFidelityTests
{
    private const string Account = "111111111111";
    private static SecurityHubEmulator _emulator = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account, "222222222222"],
            Regions = ["us-east-1", "eu-west-1"],
            DisabledRegions = ["ap-south-1"],
            FindingsPerRegion = 250,
            GetFindingsRate = 1000,
            GetFindingsBurst = 1000,
        });
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _emulator.DisposeAsync();

    [TestMethod]
    public async Task GetFindings_PaginatedToTheEnd_ReturnsEveryStoredIdExactlyOnce()
    {
        var result = await RunAsync("paginate.mjs", new { maxResults = 37, region = "eu-west-1" });

        Assert.IsTrue(result.GetProperty("ok").GetBoolean(), result.ToString());
        var ids = result.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("Id").GetString()!).ToList();
        Assert.AreEqual(ids.Count, ids.Distinct().Count(), "a finding came twice");
        CollectionAssert.AreEquivalent(_emulator.FindingIds(Account, "eu-west-1").ToList(), ids);
        Assert.AreEqual(7, result.GetProperty("pages").GetInt32());
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(101)]
    public async Task GetFindings_MaxResultsOutOfRange_ThrowsInvalidInputException(int maxResults)
    {
        var result = await RunAsync("errors.mjs", new { scenario = "maxResults", maxResults });

        AssertError(result, "InvalidInputException", 400);
    }

    [TestMethod]
    public async Task GetFindings_TokenReusedWithOtherFilters_ThrowsInputQueryHasChanged()
    {
        var result = await RunAsync("errors.mjs", new { scenario = "changedQuery" });

        AssertError(result, "InvalidInputException", 400);
        StringAssert.Contains(result.GetProperty("error").GetProperty("message").GetString(), "Input Query has changed");
    }

    [TestMethod]
    public async Task GetFindings_DateFilterWithStartOnly_ThrowsInvalidInputException()
    {
        var result = await RunAsync("errors.mjs", new { scenario = "startOnly" });

        AssertError(result, "InvalidInputException", 400);
    }

    [TestMethod]
    public async Task GetFindings_RegionNotEnabled_ThrowsInvalidAccessException()
    {
        var result = await RunAsync("errors.mjs", new { scenario = "plain", region = "ap-south-1" });

        AssertError(result, "InvalidAccessException", 401);
        StringAssert.Contains(result.GetProperty("error").GetProperty("message").GetString(), "not subscribed to AWS Security Hub");
    }

    [TestMethod]
    public async Task GetFindings_WrongSecret_ThrowsInvalidSignatureException()
    {
        var result = await RunAsync("errors.mjs", new { scenario = "plain", secret = "not-test" });

        AssertError(result, "InvalidSignatureException", 403);
    }

    [TestMethod]
    public async Task GetFindings_OtherAccount_SeesOnlyItsOwnFindings()
    {
        var result = await RunAsync("paginate.mjs", new { account = "222222222222" });

        var ids = result.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("Id").GetString()!).ToHashSet();
        Assert.IsTrue(ids.SetEquals(_emulator.FindingIds("222222222222", "us-east-1")));
        Assert.IsFalse(ids.Overlaps(_emulator.FindingIds(Account, "us-east-1")));
    }

    [TestMethod]
    public async Task GetFindings_StringFiltersAndSortCriteria_MatchAwsSemantics()
    {
        var all = FindingsOf(await RunAsync("paginate.mjs", new { }));
        var filters = new
        {
            SeverityLabel = new[] { new { Value = "HIGH", Comparison = "EQUALS" }, new { Value = "CRITICAL", Comparison = "EQUALS" } },
            WorkflowStatus = new[] { new { Value = "SUPPRESSED", Comparison = "NOT_EQUALS" }, new { Value = "NOTIFIED", Comparison = "NOT_EQUALS" } },
            Title = new[] { new { Value = "EC2", Comparison = "PREFIX_NOT_EQUALS" } },
        };

        var result = FindingsOf(await RunAsync("paginate.mjs", new { filters, sortCriteria = new[] { new { Field = "UpdatedAt", SortOrder = "desc" } }, maxResults = 20 }));

        var expected = all.Where(f => f.Str("SeverityLabel") is "HIGH" or "CRITICAL" && f.Str("WorkflowStatus") is not ("SUPPRESSED" or "NOTIFIED") && !f.Str("Title")!.StartsWith("EC2", StringComparison.Ordinal)).Select(f => f.Id()).ToList();
        Assert.IsNotEmpty(expected);
        CollectionAssert.AreEquivalent(expected, result.Select(f => f.Id()).ToList());
        var times = result.Select(f => f.Updated()).ToList();
        CollectionAssert.AreEqual(times.OrderByDescending(t => t).ToList(), times, "not sorted by UpdatedAt descending");
    }

    [TestMethod]
    public async Task GetFindings_DateFilterOnWholeHour_IncludesBothBounds()
    {
        var all = FindingsOf(await RunAsync("paginate.mjs", new { }));
        var onHour = all.Select(f => f.Updated()).Where(t => t.Minute == 0 && t.Second == 0 && t.Millisecond == 0).Order().ToList();
        var start = onHour[onHour.Count / 4];
        var end = onHour[onHour.Count / 2];
        var filters = new { UpdatedAt = new[] { new { Start = Format(start), End = Format(end) } } };

        var result = FindingsOf(await RunAsync("paginate.mjs", new { filters }));

        var expected = all.Where(f => f.Updated() >= start && f.Updated() <= end).Select(f => f.Id()).ToList();
        CollectionAssert.AreEquivalent(expected, result.Select(f => f.Id()).ToList());
        Assert.IsTrue(result.Any(f => f.Updated() == start) && result.Any(f => f.Updated() == end), "a finding on a bound was left out");
    }

    [TestMethod]
    public async Task BatchImportFindings_ThenGetFindings_ReturnsTheImportedFindings()
    {
        var generator = "emulator-test/" + Guid.NewGuid().ToString("N");
        var findings = new[] { Asff("imp-1", Account, generator), Asff("imp-2", Account, generator), Asff("imp-3", "999999999999", generator) };

        var result = await RunAsync("import.mjs", new { findings, generatorId = generator, region = "eu-west-1" });

        Assert.IsTrue(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.AreEqual(2, result.GetProperty("successCount").GetInt32());
        Assert.AreEqual(1, result.GetProperty("failedCount").GetInt32());
        Assert.AreEqual("imp-3", result.GetProperty("failed")[0].GetProperty("Id").GetString());
        CollectionAssert.AreEquivalent(new[] { "imp-1", "imp-2" }, result.GetProperty("read").EnumerateArray().Select(f => f.GetProperty("Id").GetString()).ToList());
        Assert.IsTrue(_emulator.FindingIds(Account, "eu-west-1").IsSupersetOf(["imp-1", "imp-2"]));
    }

    internal static object Asff(string id, string account, string generator) => new
    {
        SchemaVersion = "2018-10-08",
        Id = id,
        ProductArn = $"arn:aws:securityhub:eu-west-1:{account}:product/{account}/default",
        GeneratorId = generator,
        AwsAccountId = account,
        Types = new[] { "Software and Configuration Checks" },
        CreatedAt = "2026-11-20T10:15:30.123Z",
        UpdatedAt = "2026-11-20T10:15:30.123Z",
        Severity = new { Label = "HIGH" },
        Title = "Imported — 東京 ✓",
        Description = "Imported by a test.",
        Resources = new[] { new { Type = "Other", Id = "resource-" + id } },
    };

    private static Task<JsonElement> RunAsync(string script, object extra) => SdkScripts.RunAsync(_emulator, Account, script, extra);
}
