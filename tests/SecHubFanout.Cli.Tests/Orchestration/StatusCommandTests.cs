using System.Diagnostics;
using System.Text.Json;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Orchestration;

[TestClass]
public sealed class StatusCommandTests
{
    private const string ExportId = "20261123T180000Z-5ca1ab1e";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
    private static LedgerFixture s_ledgers = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_ledgers = await LedgerFixture.StartAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await s_ledgers.DisposeAsync();

    [TestMethod]
    public async Task Status_CompleteExport_TablePerAccountAndRegionExit0()
    {
        var table = await SeedAsync(("111111111111", "eu-west-1", RegionExportStatus.Complete, 1234, null), ("111111111111", "us-east-1", RegionExportStatus.NotEnabled, 0, "Security Hub is not enabled"));

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Export {ExportId}: complete");
        StringAssert.Matches(result.Stdout, new System.Text.RegularExpressions.Regex(@"111111111111\s+eu-west-1\s+complete\s+1,234"));
        StringAssert.Matches(result.Stdout, new System.Text.RegularExpressions.Regex(@"111111111111\s+us-east-1\s+not-enabled"));
        StringAssert.Contains(result.Stdout, "Findings: 1,234");
    }

    [TestMethod]
    public async Task Status_FailedRegion_Exit1WithReasonAndRetryCommand()
    {
        var table = await SeedAsync(("111111111111", "eu-west-1", RegionExportStatus.Complete, 10, null), ("222222222222", "eu-west-1", RegionExportStatus.Failed, 0, "InternalException: boom"));

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(1, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "InternalException: boom");
        StringAssert.Contains(result.Stdout, $"sechub-fanout start --export-id {ExportId} --accounts 222222222222");
    }

    [TestMethod]
    public async Task Status_StillRunning_ClearNoteExit0()
    {
        var table = await SeedAsync(("111111111111", "eu-west-1", RegionExportStatus.Complete, 10, null), ("111111111111", "us-east-1", RegionExportStatus.Pending, 0, null));

        var result = await RunAsync("status", ExportId, "--ledger-table", table);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Export {ExportId}: running");
        StringAssert.Contains(result.Stdout, "Still running: 1 of 2 account-Regions have not reported yet");
    }

    [TestMethod]
    public async Task Status_Json_IsTheProgressDocument()
    {
        var table = await SeedAsync(("111111111111", "eu-west-1", RegionExportStatus.Complete, 77, null));

        var result = await RunAsync("status", ExportId, "--ledger-table", table, "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var progress = JsonSerializer.Deserialize(result.Stdout, OrchestrationJsonContext.Default.ExportProgress)!;
        Assert.AreEqual(ExportId, progress.ExportId);
        Assert.AreEqual(77, progress.Totals.Findings);
        Assert.AreEqual(ExportState.Complete, progress.State);
    }

    [TestMethod]
    public async Task Status_UnknownExport_Exit2NamingTheTable()
    {
        var table = await SeedAsync(("111111111111", "eu-west-1", RegionExportStatus.Complete, 1, null));

        var result = await RunAsync("status", "20250101T000000Z-00000000", "--ledger-table", table);

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, $"there is no export '20250101T000000Z-00000000' in ledger table {table}");
    }

    private async Task<string> SeedAsync(params (string Account, string Region, string Status, long Findings, string? Error)[] regions)
    {
        var table = await s_ledgers.CreateTableAsync(TestContext.CancellationToken);
        var ledger = new DynamoDbLedger(s_ledgers.Client, table);
        var regionNames = regions.Select(r => r.Region).Distinct().ToList();
        await ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, regionNames, null, null), TestContext.CancellationToken);
        foreach (var account in regions.GroupBy(r => r.Account))
        {
            await ledger.ExpectAccountAsync(ExportId, account.Key, [.. account.Select(r => r.Region)], attempt: 0, Start, TestContext.CancellationToken);
            await ledger.RecordLaunchAsync(ExportId, account.Key, $"arn:aws:states:eu-west-1:{account.Key}:execution:sechub-fanout-exporter:{ExportId}", null, Start, TestContext.CancellationToken);
        }

        foreach (var r in regions.Where(r => r.Status != RegionExportStatus.Pending))
        {
            await ledger.RecordRegionResultAsync(new RegionExportEvent(ExportId, r.Account, r.Region, r.Status, r.Findings, Parts: 1, Bytes: r.Findings * 1000, Error: r.Error), Start.AddMinutes(5), TestContext.CancellationToken);
        }

        if (await ledger.AllRegionsTerminalAsync(ExportId, TestContext.CancellationToken))
        {
            await ledger.TryClaimCompletionAsync(ExportId, Start.AddMinutes(6), TestContext.CancellationToken);
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
