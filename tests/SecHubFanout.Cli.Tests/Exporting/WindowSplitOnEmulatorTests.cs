using Amazon.Runtime;
using SecHubFanout.Aws;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Schema;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>
/// The engine's window splits over the emulator's HTTP API, for both APIs: GetFindingsV2 chains split on
/// <c>finding_info.modified_time_dt</c> as GetFindings chains split on <c>UpdatedAt</c>, by page count and by timing, and every
/// finding is stored exactly once (read back from the Parquet parts).
/// </summary>
[TestClass]
public sealed class WindowSplitOnEmulatorTests
{
    private const string Account = "222222222222";
    private const string Region = "us-east-1";
    private static SecurityHubEmulator _emulator = null!;

    [ClassInitialize]
    public static async Task ClassInitializeAsync(TestContext context)
    {
        _ = context;
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account],
            Regions = [Region],
            FindingsPerRegion = 900,
            GetFindingsRate = 10_000,
            GetFindingsBurst = 10_000,
            Latency = TimeSpan.FromMilliseconds(5),
        });
    }

    [ClassCleanup]
    public static async Task ClassCleanupAsync() => await _emulator.DisposeAsync();

    [TestMethod]
    [DataRow("v1", false)]
    [DataRow("v1", true)]
    [DataRow("v2", false)]
    [DataRow("v2", true)]
    public async Task ExportAsync_WindowsSplit_EveryFindingOnce(string apiName, bool whenIdle)
    {
        var api = FindingsApis.Parse(apiName);
        using var temp = new TempDirectory();
        var options = new ExportOptions
        {
            PageSize = 20,
            SplitAfterPages = whenIdle ? 0 : 4,
            SplitWhenIdle = whenIdle,
            WindowConcurrency = 8,
            MaxWindowConcurrency = 8,
            Quota = new QuotaOptions { RequestsPerSecond = 1_000, Burst = 1_000 },
        };
        using var clients = AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials(Account, "test"),
            EndpointUrl = _emulator.Endpoint,
            Region = Region,
            AccountId = Account,
        });
        var format = api == FindingsApi.V2 ? new ParquetPartFormat().WithTable(FindingTable.Ocsf) : new ParquetPartFormat();
        var exporter = new RegionExporter(clients.CreateFindingSource(), new DirectoryPartSink(temp.Path), format, options, TimeProvider.System);

        var result = await exporter.ExportAsync(
            new ExportRequest { ExportId = $"split-{apiName}", AccountId = Account, Filters = FindingFilters.NoneFor(api) }, Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.IsTrue(result.Checkpoint!.Windows.Any(w => w.SplitOff), $"a {apiName} window split");
        result.Checkpoint.ToPlan();
        var (served, written) = api == FindingsApi.V2
            ? (_emulator.OcsfFindingIds(Account, Region), await ExportedIds.ReadOcsfAsync(temp.Path, Account, Region))
            : (_emulator.FindingIds(Account, Region), await ExportedIds.ReadAsync(temp.Path, Account, Region));
        ExportedIds.AssertExactly(served, written, $"{apiName}, split {(whenIdle ? "when idle" : "by page count")}");
    }
}
