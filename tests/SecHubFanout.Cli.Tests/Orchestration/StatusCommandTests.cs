using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Orchestration;

/// <summary><c>sechub-fanout status</c> as a process over a ledger in dynalite, seeded the way the launcher and coordinator leave it.</summary>
[TestClass]
public sealed class StatusCommandTests
{
    private const string ExportId = "20261123T180000Z-5ca1ab1e";
    private const int Shards = 4;
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
    private static LedgerFixture s_ledgers = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_ledgers = await LedgerFixture.StartAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await s_ledgers.DisposeAsync();

    [TestMethod]
    public async Task Status_CompleteExport_SummaryOfTotalsExit0()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 1234, null), ("111111111111", "us-east-1", RegionExportStatus.NotEnabled, 0, "Security Hub is not enabled")]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Export {ExportId}: complete");
        StringAssert.Contains(result.Stdout, "Findings: 1,234 in 1 parts");
        StringAssert.Contains(result.Stdout, "Accounts: 1 launched so far, 0 could not be started");
        StringAssert.Contains(result.Stdout, "Account-Regions: 1 complete, 0 failed, 1 not enabled, 0 pending (of 2)");
        StringAssert.Contains(result.Stdout, "Regions: eu-west-1,us-east-1");
    }

    [TestMethod]
    public async Task Status_Summary_ReadFromTheCountersNotTheItems()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 1234, null)]);
        await s_ledgers.Client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = table,
                Key = new Dictionary<string, AttributeValue>
                {
                    ["pk"] = new() { S = $"EXPORT#{ExportId}#{DynamoDbLedger.ShardOf("111111111111", Shards).ToString("000", CultureInfo.InvariantCulture)}" },
                    ["sk"] = new() { S = "#COUNT" },
                },
                UpdateExpression = "ADD findings :more",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":more"] = new() { N = "1000000" } },
            },
            TestContext.CancellationToken);

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "Findings: 1,001,234");
    }

    [TestMethod]
    public async Task Status_FailedRegion_Exit1WithKindReasonAndRetryCommand()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 10, null), ("222222222222", "eu-west-1", RegionExportStatus.Failed, 0, "AccessDeniedException: denied by an SCP")]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(1, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Export {ExportId}: complete-with-failures");
        StringAssert.Contains(result.Stdout, "        1  denied access (for example by a service control policy) (access-denied)");
        StringAssert.Matches(result.Stdout, new Regex(@"222222222222\s+eu-west-1\s+access-denied\s+AccessDeniedException: denied by an SCP"));
        StringAssert.Contains(result.Stdout, $"sechub-fanout start --export-id {ExportId} --accounts 222222222222");
    }

    [TestMethod]
    public async Task Status_StillRunning_ClearNoteExit0()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 10, null), ("111111111111", "us-east-1", RegionExportStatus.Pending, 0, null)]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Export {ExportId}: running");
        StringAssert.Contains(result.Stdout, "Still running: 1 of 2 account-Regions have not reported yet");
    }

    [TestMethod]
    public async Task Status_StillLaunching_SaysSoEvenWithNothingPending()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 10, null)], launched: false);

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Export {ExportId}: running");
        StringAssert.Contains(result.Stdout, "Still launching: the launcher has not started every account yet");
    }

    [TestMethod]
    public async Task Status_Json_IsTheSummaryDocument()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 77, null)]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table, "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var summary = JsonSerializer.Deserialize(result.Stdout, OrchestrationJsonContext.Default.ExportSummary)!;
        Assert.AreEqual(ExportId, summary.ExportId);
        Assert.AreEqual(77, summary.Totals.Findings);
        Assert.AreEqual(ExportState.Complete, summary.State);
        Assert.AreEqual(Start.AddMinutes(6), summary.CompletedAt);
    }

    [TestMethod]
    public async Task Status_FailuresInPagesOfTwo_ThePrintedTokensLeadThroughEveryFailureOnceExit1()
    {
        var table = await SeedAsync(
        [
            ("111111111111", "eu-west-1", RegionExportStatus.Failed, 0, "AccessDeniedException: one"),
            ("111111111111", "us-east-1", RegionExportStatus.Failed, 0, "AccessDeniedException: two"),
            ("222222222222", "eu-west-1", RegionExportStatus.Failed, 0, "ThrottlingException: Rate exceeded"),
            ("333333333333", "eu-west-1", RegionExportStatus.Complete, 5, null),
            ("333333333333", "us-east-1", RegionExportStatus.Failed, 0, "InternalException: four"),
            ("444444444444", "ap-southeast-2", RegionExportStatus.Failed, 0, "InternalException: five"),
        ]);

        var pages = new List<CliProcess.Result>();
        string? token = null;
        do
        {
            var result = token is null
                ? await RunAsync("status", ExportId, "--ledger-table", table, "--failures", "--page-size", "2")
                : await RunAsync("status", ExportId, "--ledger-table", table, "--failures", "--page-size", "2", "--page-token", token);
            pages.Add(result);
            var more = Regex.Match(result.Stdout, $@"More: sechub-fanout status {ExportId} --failures --page-token (\S+)");
            token = more.Success ? more.Groups[1].Value : null;
        }
        while (token is not null && pages.Count < 10);

        var rows = pages.SelectMany(p => p.Stdout.Split('\n').Where(l => Regex.IsMatch(l, @"^\d{12}\s"))).ToList();
        Assert.HasCount(3, pages, string.Join("\n----\n", pages.Select(p => p.Stdout + p.Stderr)));
        Assert.IsTrue(pages.All(p => p.ExitCode == 1), "failures exist: every page exits 1");
        CollectionAssert.AreEqual(new[] { 2, 2, 1 }, pages.Select(p => p.Stdout.Split('\n').Count(l => Regex.IsMatch(l, @"^\d{12}\s"))).ToArray());
        CollectionAssert.AreEqual(
            new[] { "111111111111 eu-west-1", "111111111111 us-east-1", "222222222222 eu-west-1", "333333333333 us-east-1", "444444444444 ap-southeast-2" },
            rows.Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2))).ToArray());
        StringAssert.Matches(rows[2], new Regex(@"222222222222\s+eu-west-1\s+throttled\s+ThrottlingException: Rate exceeded"));
        StringAssert.Contains(pages[0].Stdout, "ACCOUNT       REGION           KIND              ERROR");
        Assert.DoesNotContain("More:", pages[^1].Stdout);
    }

    [TestMethod]
    public async Task Status_FailuresJson_PageAndItsNextToken()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Failed, 0, "boom"), ("111111111111", "us-east-1", RegionExportStatus.Failed, 0, "bang")]);

        var first = await RunAsync("status", ExportId, "--ledger-table", table, "--failures", "--page-size", "1", "--json");
        var page = JsonSerializer.Deserialize(first.Stdout, OrchestrationJsonContext.Default.FailurePage)!;
        var second = await RunAsync("status", ExportId, "--ledger-table", table, "--failures", "--page-size", "1", "--json", "--page-token", page.NextToken!);
        var last = JsonSerializer.Deserialize(second.Stdout, OrchestrationJsonContext.Default.FailurePage)!;

        Assert.AreEqual(1, first.ExitCode, first.Stderr);
        Assert.AreEqual("eu-west-1", page.Failures.Single().Region);
        Assert.IsNotNull(page.NextToken);
        Assert.AreEqual("us-east-1", last.Failures.Single().Region);
    }

    [TestMethod]
    [DataRow("garbage!!", DisplayName = "not base64")]
    [DataRow("Z2FyYmFnZQ==", DisplayName = "base64 of garbage")]
    [DataRow("ZnBrPTIwMjYxMTIzVDE4MDAwMFotMDAwMDAwMDAKZnNrPTExMTExMTExMTExMSNldS13ZXN0LTEKcGs9eApzaz15", DisplayName = "a key of another export")]
    public async Task Status_GarbagePageToken_Exit2WithAClearError(string token)
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Failed, 0, "boom")]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table, "--failures", "--page-token", token);

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, $"error: '{token}' is not a page token");
        StringAssert.Contains(result.Stderr, "pass the token the previous page printed");
        Assert.AreEqual(string.Empty, result.Stdout);
    }

    [TestMethod]
    public async Task Status_PageTokenWithoutFailures_Exit2SayingToAddIt()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Failed, 0, "boom")]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table, "--page-token", "abc");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "--page-token pages through failures: add --failures");
    }

    [TestMethod]
    public async Task Status_PageSizeOutOfRange_Exit2()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 1, null)]);

        var result = await RunAsync("status", ExportId, "--ledger-table", table, "--failures", "--page-size", "0");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "--page-size 0 is out of range");
    }

    [TestMethod]
    public async Task Status_UnknownExport_Exit2NamingTheTable()
    {
        var table = await SeedAsync([("111111111111", "eu-west-1", RegionExportStatus.Complete, 1, null)]);

        var result = await RunAsync("status", "20250101T000000Z-00000000", "--ledger-table", table);

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, $"there is no export '20250101T000000Z-00000000' in ledger table {table}");
    }

    /// <summary>A ledger table holding one export as the launcher and the coordinator leave it: every account expected and started, the results recorded, completion claimed when nothing is pending.</summary>
    private async Task<string> SeedAsync((string Account, string Region, string Status, long Findings, string? Error)[] regions, bool launched = true)
    {
        var ct = TestContext.CancellationToken;
        var table = await s_ledgers.CreateTableAsync(ct);
        var ledger = new DynamoDbLedger(s_ledgers.Client, table);
        var regionNames = regions.Select(r => r.Region).Distinct().ToList();
        await ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, regionNames, null, null, Shards: Shards), ct);
        foreach (var account in regions.GroupBy(r => r.Account))
        {
            await ledger.ExpectAccountAsync(ExportId, account.Key, [.. account.Select(r => r.Region)], Start, ct);
            await ledger.RecordLaunchAsync(ExportId, account.Key, $"arn:aws:states:eu-west-1:{account.Key}:execution:sechub-fanout-exporter:{ExportId}", null, Start, ct);
        }

        foreach (var r in regions.Where(r => r.Status != RegionExportStatus.Pending))
        {
            await ledger.RecordRegionResultAsync(new RegionExportEvent(ExportId, r.Account, r.Region, r.Status, r.Findings, Parts: r.Findings > 0 ? 1 : 0, Bytes: r.Findings * 1000, Error: r.Error), Start.AddMinutes(5), ct);
        }

        if (launched)
        {
            await ledger.MarkLaunchedAsync(ExportId, Start.AddMinutes(1), ct);
            var export = (await ledger.GetExportAsync(ExportId, ct))!;
            if ((await ledger.GetCountersAsync(export, ct)).Pending == 0)
            {
                await ledger.TryClaimCompletionAsync(ExportId, Start.AddMinutes(6), ct);
            }
        }

        return table;
    }

    private static Task<CliProcess.Result> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.Environment["AWS_ACCESS_KEY_ID"] = LedgerFixture.AccessKey;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LedgerFixture.SecretKey;
        info.Environment["AWS_REGION"] = LedgerFixture.Region;
        info.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = s_ledgers.Server.Endpoint.ToString();
        info.Environment.Remove("AWS_PROFILE");
        info.Environment.Remove("LEDGER_TABLE");
        return CliProcess.RunAsync(info, args);
    }
}
