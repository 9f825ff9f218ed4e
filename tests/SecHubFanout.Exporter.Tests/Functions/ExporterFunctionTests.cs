using System.Text.RegularExpressions;
using Amazon.S3;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Auth;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Resilience;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Emulator;
using SecHubFanout.Exporter.Tests.Fakes;
using SecHubFanout.Exporter.Tests.Support;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Exporter.Tests.Functions;

/// <summary>The exporter handler against the Security Hub emulator and s3rver, chained through its checkpoints as the state machine does.</summary>
[TestClass]
public sealed class ExporterFunctionTests
{
    private const string Account = "111122223333";
    private const string ExportId = "20261123T190000Z-1a2b3c4d";

    private static SecurityHubEmulator _emulator = null!;
    private static S3rverServer _s3rver = null!;
    private static AwsClients _s3Clients = null!;
    private static AmazonS3Client _s3 = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartServersAsync(TestContext context)
    {
        // At most 11 pages per two-second invocation (5 pages a second, burst 1): a Region of 2,000 findings (25+ pages) needs at least 3.
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account],
            Regions = ["us-east-1", "us-west-2"],
            DisabledRegions = ["eu-west-1"],
            FindingsPerRegion = 2000,
            GetFindingsRate = 5,
            GetFindingsBurst = 1,
            Seed = 11,
        });
        _s3rver = await S3rverServer.StartAsync(LocalAws.Bucket);
        _s3Clients = LocalAws.S3(_s3rver);
        _s3 = _s3Clients.CreateS3Client();
    }

    [ClassCleanup]
    public static async Task StopServersAsync()
    {
        _s3.Dispose();
        _s3Clients.Dispose();
        await _s3rver.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task HandleAsync_ChainedThroughCheckpoints_ExportsEveryFindingExactlyOnce()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var counter = new RecordingFindingCounter();
        var function = new ExporterFunction(Service(member, counter, RegionExportService.S3Sinks(_s3, plainBodies: true)));
        var until = DateTimeOffset.UtcNow;

        var (final, invocations) = await ExporterLoop.RunAsync(function, ExporterLoop.FirstInput(ExportId, "us-east-1", until));

        var served = _emulator.FindingIds(Account, "us-east-1");
        var prefix = $"findings/account_id={Account}/region=us-east-1/";
        var keys = await LocalAws.KeysAsync(_s3, prefix, TestContext.CancellationToken);
        var written = await LocalAws.ExportedIdsAsync(_s3, prefix, TestContext.CancellationToken);
        Assert.AreEqual(RegionExportStatus.Complete, final.Status, final.Error);
        Assert.IsGreaterThanOrEqualTo(3, invocations, "25+ pages at 5 pages/s do not fit in fewer than 3 two-second invocations");
        Assert.HasCount(written.Count, written.ToHashSet(StringComparer.Ordinal), "no finding may be written twice");
        Assert.IsTrue(served.SetEquals(written), $"served {served.Count}, written {written.Count}");
        Assert.AreEqual(served.Count, final.Counts.Findings);
        Assert.AreEqual(keys.Count, final.Counts.Parts);
        Assert.IsGreaterThan(final.Counts.Findings / 100, final.Counts.Pages);
        var pattern = new Regex($"^findings/account_id={Account}/region=us-east-1/export_date={until.UtcDateTime:yyyy-MM-dd}/export_id={ExportId}/part-\\d{{4}}-\\d{{5}}\\.parquet$");
        Assert.IsTrue(keys.All(pattern.IsMatch), "unexpected keys: " + string.Join(", ", keys.Where(k => !pattern.IsMatch(k))));
        Assert.AreEqual(served.Count, counter.Latest[$"{ExportId}/us-east-1"], "the SSM count ends at the number of findings exported");
        Assert.IsGreaterThan(1, counter.Published.Count, "the count runs along with the export, not only at its end");
    }

    [TestMethod]
    public async Task HandleAsync_CrashMidInvocationAndResultLost_ResentCheckpointsExportEveryFindingExactlyOnce()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var crash = false;
        var sinks = RegionExportService.S3Sinks(_s3, plainBodies: true);
        var function = new ExporterFunction(Service(member, new RecordingFindingCounter(), d => new CrashingSink(sinks(d), () => Volatile.Read(ref crash), partsBeforeCrash: 1)));
        const string exportId = "20261123T190000Z-c4a5b0f1";
        var prefix = $"findings/account_id={Account}/region=us-west-2/";
        var first = ExporterLoop.FirstInput(exportId, "us-west-2", DateTimeOffset.UtcNow);

        var afterFirst = await ExporterLoop.InvokeAsync(function, first);
        var keysAfterFirst = await LocalAws.KeysAsync(_s3, prefix, TestContext.CancellationToken);
        Volatile.Write(ref crash, true);
        var crashed = await ExporterLoop.InvokeAsync(function, ExporterLoop.Next(first, afterFirst));
        var keysAfterCrash = await LocalAws.KeysAsync(_s3, prefix, TestContext.CancellationToken);
        Volatile.Write(ref crash, false);
        // The retry of the crashed invocation succeeds, but its answer is lost too: the state machine re-sends the same checkpoint again.
        var lost = await ExporterLoop.InvokeAsync(function, ExporterLoop.Next(first, afterFirst));
        var (final, _) = await ExporterLoop.RunAsync(function, ExporterLoop.Next(first, afterFirst));

        var served = _emulator.FindingIds(Account, "us-west-2");
        var written = await LocalAws.ExportedIdsAsync(_s3, prefix, TestContext.CancellationToken);
        Assert.AreEqual(ExporterOutput.InProgress, afterFirst.Status);
        Assert.IsGreaterThan(keysAfterFirst.Count, keysAfterCrash.Count, "the crashed invocation stored parts beyond the checkpoint it was given");
        Assert.AreEqual(RegionExportStatus.Failed, crashed.Status);
        Assert.Contains("simulated crash", crashed.Error!);
        Assert.IsTrue(lost.Status is ExporterOutput.InProgress or RegionExportStatus.Complete, lost.Error);
        Assert.AreEqual(RegionExportStatus.Complete, final.Status, final.Error);
        Assert.HasCount(written.Count, written.ToHashSet(StringComparer.Ordinal), "no finding may be written twice");
        Assert.IsTrue(served.SetEquals(written), $"served {served.Count}, written {written.Count}");
        Assert.AreEqual(served.Count, final.Counts.Findings);
    }

    [TestMethod]
    public async Task HandleAsync_RegionNotEnabled_AnswersNotEnabledAndDone()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var function = new ExporterFunction(Service(member, new RecordingFindingCounter(), RegionExportService.S3Sinks(_s3, plainBodies: true)));

        var output = await ExporterLoop.InvokeAsync(function, ExporterLoop.FirstInput("20261123T190000Z-0000000e", "eu-west-1", DateTimeOffset.UtcNow));

        Assert.AreEqual(RegionExportStatus.NotEnabled, output.Status);
        Assert.IsTrue(output.IsDone);
        Assert.IsFalse(string.IsNullOrWhiteSpace(output.Error));
        Assert.AreEqual(0L, output.Counts.Findings);
        Assert.IsEmpty(await LocalAws.KeysAsync(_s3, $"findings/account_id={Account}/region=eu-west-1/", TestContext.CancellationToken));
    }

    /// <summary>The service as the production factory wires it, but with the emulator's account source and fast engine settings.</summary>
    internal static RegionExportService Service(AwsClients member, IFindingCounter counter, Func<ExporterDestination, IPartSink> sinks)
    {
        var caller = new CallerAccount(member.CreateStsClient());
        return new RegionExportService(
            member.CreateFindingSource(),
            sinks,
            counter,
            caller.GetAsync,
            Options(TimeSpan.FromSeconds(2)),
            TimeProvider.System,
            spool: new MemorySpool());
    }

    internal static ExporterOptions Options(TimeSpan budget) => new()
    {
        TimeBudget = budget,
        StopGrace = TimeSpan.FromSeconds(10),
        CountInterval = TimeSpan.Zero,
        Region = "us-east-1",
        Export = new ExportOptions
        {
            RecentWindows = 4,
            PartSize = 200,
            Quota = new QuotaOptions { RequestsPerSecond = 5, Burst = 1, ThrottlePause = TimeSpan.FromMilliseconds(50) },
            Retry = new RetryOptions { MaxRetries = 10, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(500) },
        },
    };
}
