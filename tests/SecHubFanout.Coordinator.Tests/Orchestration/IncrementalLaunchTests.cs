using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Orchestration;

/// <summary>
/// Incremental exports of the organization over the real ledger (dynalite): completed Regions move their watermarks, failed ones
/// keep them, and each incremental launch starts every account at its Regions' earliest watermark minus the overlap.
/// </summary>
[TestClass]
public sealed class IncrementalLaunchTests
{
    private const string A = "111111111111";
    private const string B = "222222222222";
    private static readonly string[] _regions = ["eu-west-1", "us-east-1"];
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(15);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingNotifier _notifier = new();
    private DynamoDbLedger _ledger = null!;
    private ExportCoordinator _coordinator = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        _ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        _coordinator = new ExportCoordinator(_ledger, _notifier, new MemoryManifestStore(), new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, _time);
    }

    [TestMethod]
    public async Task StartAsync_IncrementalAfterFullExportWithAFailedRegion_FailedRegionKeepsItsWatermarkAndItsAccountCoversTheGap()
    {
        // A full export: A completes everywhere; B's us-east-1 fails.
        var full = await LaunchAsync(new LaunchRequest(Regions: _regions));
        await ResultsAsync(full.ExportId, (A, "eu-west-1", true), (A, "us-east-1", true), (B, "eu-west-1", true), (B, "us-east-1", false));
        var afterFull = (A: await _ledger.GetWatermarksAsync(A, TestContext.CancellationToken), B: await _ledger.GetWatermarksAsync(B, TestContext.CancellationToken));

        // A day later, an incremental export: A from its watermark minus the overlap, B in full (us-east-1 never completed).
        _time.Advance(TimeSpan.FromDays(1));
        var second = await LaunchAsync(new LaunchRequest(Regions: _regions, Incremental: true));
        var secondSince = second.Inputs.ToDictionary(i => i.AccountId, i => i.Since);
        // This time A's us-east-1 fails and everything else completes.
        await ResultsAsync(second.ExportId, (A, "eu-west-1", true), (A, "us-east-1", false), (B, "eu-west-1", true), (B, "us-east-1", true));
        var afterSecond = (A: await _ledger.GetWatermarksAsync(A, TestContext.CancellationToken), B: await _ledger.GetWatermarksAsync(B, TestContext.CancellationToken));

        _time.Advance(TimeSpan.FromDays(1));
        var third = await LaunchAsync(new LaunchRequest(Regions: _regions, Incremental: true, Overlap: "1h"));
        var thirdSince = third.Inputs.ToDictionary(i => i.AccountId, i => i.Since);

        var secondEnd = Start.AddDays(1);
        Assert.AreEqual(Start, afterFull.A.Of("eu-west-1"));
        Assert.AreEqual(Start, afterFull.A.Of("us-east-1"));
        Assert.AreEqual(Start, afterFull.B.Of("eu-west-1"));
        Assert.IsNull(afterFull.B.Of("us-east-1"), "a failed Region's watermark does not move");
        Assert.AreEqual(Start - Overlap, secondSince[A]);
        Assert.IsNull(secondSince[B], "an account with a Region that never completed is exported in full");
        Assert.AreEqual(secondEnd, afterSecond.A.Of("eu-west-1"));
        Assert.AreEqual(Start, afterSecond.A.Of("us-east-1"), "failed again: still the full export's end");
        Assert.AreEqual(secondEnd, afterSecond.B.Of("us-east-1"));
        Assert.AreEqual(Start - TimeSpan.FromHours(1), thirdSince[A], "the earliest of A's watermarks: its failed Region's gap is covered");
        Assert.AreEqual(secondEnd - TimeSpan.FromHours(1), thirdSince[B]);
        var completion = _notifier.Completions.Single(m => m.Subject.Contains(second.ExportId, StringComparison.Ordinal));
        StringAssert.Contains(completion.Subject, "incremental export");
        StringAssert.Contains(completion.Subject, "findings changed");
        StringAssert.Contains(completion.Body, "Findings changed:   30 updated since each account-Region's watermark");
        StringAssert.Contains(completion.Body, "keep their watermark");
        Assert.DoesNotContain("changed", _notifier.Completions.Single(m => m.Subject.Contains(full.ExportId, StringComparison.Ordinal)).Subject);
    }

    [TestMethod]
    public async Task StartAsync_ExportWithFiltersOrSince_MovesNoWatermark()
    {
        var filtered = await LaunchAsync(new LaunchRequest(Regions: ["eu-west-1"], Filters: System.Text.Json.JsonDocument.Parse("{\"RecordState\":[{\"Value\":\"ACTIVE\",\"Comparison\":\"EQUALS\"}]}").RootElement.Clone()));
        await ResultsAsync(filtered.ExportId, (A, "eu-west-1", true), (B, "eu-west-1", true));
        var since = await LaunchAsync(new LaunchRequest(Regions: ["eu-west-1"], Since: Start.AddDays(-1)));
        await ResultsAsync(since.ExportId, (A, "eu-west-1", true), (B, "eu-west-1", true));

        var watermarks = await _ledger.GetWatermarksAsync(A, TestContext.CancellationToken);

        Assert.IsEmpty(watermarks.ByRegion, "neither export held everything the Region had");
    }

    private async Task<(string ExportId, List<MemberExecutionInput> Inputs)> LaunchAsync(LaunchRequest request)
    {
        var starter = new RecordingExportStarter();
        var launcher = new ExportLauncher(_ledger, new FixedAccountDirectory(A, B), starter, _coordinator, new LauncherOptions(), _time);
        var result = await launcher.StartAsync(request, TestContext.CancellationToken);
        Assert.AreEqual(0, result.Failed);
        return (result.ExportId, starter.Started.Select(s => s.Input).ToList());
    }

    private async Task ResultsAsync(string exportId, params (string Account, string Region, bool Complete)[] results)
    {
        foreach (var (account, region, complete) in results)
        {
            var result = complete
                ? new RegionExportEvent(exportId, account, region, RegionExportStatus.Complete, 10)
                : new RegionExportEvent(exportId, account, region, RegionExportStatus.Failed, Error: "GetFindings failed (InternalException)", FailureKind: FailureKinds.Error);
            var outcome = await _coordinator.HandleAsync(result, TestContext.CancellationToken);
            Assert.AreEqual(RecordOutcome.Applied, outcome.Recorded);
        }
    }
}
