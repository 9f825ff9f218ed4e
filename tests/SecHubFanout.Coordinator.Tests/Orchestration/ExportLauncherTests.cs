using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Orchestration;

[TestClass]
public sealed class ExportLauncherTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingNotifier _notifier = new();
    private readonly MemoryManifestStore _manifests = new();
    private DynamoDbLedger _ledger = null!;
    private ExportCoordinator _coordinator = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        _ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        _coordinator = new ExportCoordinator(_ledger, _notifier, _manifests, new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, _time);
    }

    [TestMethod]
    public async Task StartAsync_TwentyAccounts_NeverMoreThanMaxConcurrencyAtOnce()
    {
        var accounts = Enumerable.Range(1, 20).Select(i => $"{i:000000000000}").ToArray();
        var starter = new RecordingExportStarter(TimeSpan.FromMilliseconds(30));
        var launcher = Launcher(new FixedAccountDirectory(accounts), starter, maxConcurrency: 3);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        Assert.AreEqual(20, result.Started);
        Assert.AreEqual(20, starter.Started.Count);
        Assert.IsLessThanOrEqualTo(3, starter.MaxRunning);
        Assert.IsGreaterThanOrEqualTo(1, starter.MaxRunning);
    }

    [TestMethod]
    public async Task StartAsync_OneAccountCannotStart_RecordedFailedWithReasonOthersStarted()
    {
        var starter = new RecordingExportStarter(default, "222222222222");
        var launcher = Launcher(new FixedAccountDirectory("111111111111", "222222222222", "333333333333"), starter);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1", "us-east-1"]), TestContext.CancellationToken);
        var snapshot = await _ledger.ReadAsync(result.ExportId, TestContext.CancellationToken);
        var progress = ExportProgress.From(snapshot!);

        Assert.AreEqual(2, result.Started);
        Assert.AreEqual(1, result.Failed);
        CollectionAssert.AreEquivalent(new[] { "111111111111", "333333333333" }, starter.Started.Select(s => s.AccountId).ToArray());
        var failedAccount = snapshot!.Accounts.Single(a => a.AccountId == "222222222222");
        Assert.AreEqual(AccountLaunchStatus.Failed, failedAccount.Launch);
        StringAssert.Contains(failedAccount.Error, "AccessDenied");
        Assert.IsTrue(snapshot.Regions.Where(r => r.AccountId == "222222222222").All(r => r.Status == RegionExportStatus.Failed && r.Error!.Contains("could not start the exporter", StringComparison.Ordinal)));
        Assert.IsTrue(snapshot.Regions.Where(r => r.AccountId != "222222222222").All(r => r.Status == RegionExportStatus.Pending));
        Assert.AreEqual(AccountLaunchStatus.Started, snapshot.Accounts.Single(a => a.AccountId == "111111111111").Launch);
        var (subject, body) = _notifier.Messages.Single();
        Assert.AreEqual($"SecHubFanout export {result.ExportId}: starting account 222222222222 failed", subject, "one email for the account, not one per Region");
        StringAssert.Contains(body, "none of its Regions (eu-west-1, us-east-1) were exported");
        StringAssert.Contains(body, "Reason: could not start the exporter in account 222222222222");
        StringAssert.Contains(body, $"sechub-fanout start --export-id {result.ExportId} --accounts 222222222222");
        Assert.AreEqual(ExportState.Running, progress.State);
    }

    [TestMethod]
    public async Task StartAsync_EveryAccountFails_ExportCompletesWithFailures()
    {
        var starter = new RecordingExportStarter(default, "111111111111");
        var launcher = Launcher(new FixedAccountDirectory("111111111111"), starter);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        Assert.AreEqual(1, result.Failed);
        Assert.AreEqual(1, _manifests.Writes.Count);
        Assert.AreEqual(1, _notifier.Completions.Count);
        Assert.AreEqual(1, _notifier.LaunchFailures.Count);
        Assert.HasCount(2, _notifier.Messages);
    }

    [TestMethod]
    public async Task StartAsync_BeforeFirstStart_EveryExpectedRegionIsInTheLedger()
    {
        var starter = new RecordingExportStarter();
        var seen = new List<int>();
        starter.OnStart = async execution =>
        {
            var snapshot = await _ledger.ReadAsync(execution.Input.ExportId, CancellationToken.None);
            lock (seen)
            {
                seen.Add(snapshot!.Regions.Count);
            }
        };
        var launcher = Launcher(new FixedAccountDirectory("111111111111", "222222222222", "333333333333"), starter);

        await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1", "us-east-1"]), TestContext.CancellationToken);

        Assert.IsTrue(seen.All(c => c == 6), string.Join(",", seen));
        Assert.HasCount(3, seen);
    }

    [TestMethod]
    public async Task StartAsync_NewExport_InputCarriesExportRangeAndFiltersAndLedgerHasThem()
    {
        var starter = new RecordingExportStarter();
        var launcher = Launcher(new FixedAccountDirectory("111111111111"), starter);
        using var filters = JsonDocument.Parse("{\"SeverityLabel\":[{\"Value\":\"CRITICAL\",\"Comparison\":\"EQUALS\"}]}");
        var since = Start.AddDays(-30);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"], Filters: filters.RootElement, Since: since), TestContext.CancellationToken);

        var execution = starter.Started.Single();
        Assert.IsTrue(ExportIds.IsValid(result.ExportId));
        StringAssert.StartsWith(result.ExportId, "20261123T180000Z-");
        Assert.AreEqual(result.ExportId, execution.ExecutionName);
        Assert.AreEqual(result.ExportId, execution.Input.ExportId);
        Assert.AreEqual(Start, execution.Input.Until);
        Assert.AreEqual(since, execution.Input.Since);
        Assert.AreEqual("CRITICAL", execution.Input.Filters!.Value.GetProperty("SeverityLabel")[0].GetProperty("Value").GetString());
        var export = await _ledger.GetExportAsync(result.ExportId, TestContext.CancellationToken);
        Assert.AreEqual(since, export!.Since);
        StringAssert.Contains(export.FiltersJson, "CRITICAL");
    }

    [TestMethod]
    public async Task StartAsync_RestartChosenAccount_ResetsOnlyItAndUsesRestartExecutionName()
    {
        var launcher = Launcher(new FixedAccountDirectory("111111111111", "222222222222"), new RecordingExportStarter(default, "222222222222"));
        var first = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);
        await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, "111111111111", "eu-west-1", RegionExportStatus.Complete, 10), TestContext.CancellationToken);
        Assert.AreEqual(1, _notifier.Completions.Count);
        var directory = new FixedAccountDirectory();
        var starter = new RecordingExportStarter();
        _time.Advance(TimeSpan.FromHours(1));

        var restart = await Launcher(directory, starter).StartAsync(new LaunchRequest(ExportId: first.ExportId, Accounts: ["222222222222"]), TestContext.CancellationToken);
        var snapshot = await _ledger.ReadAsync(first.ExportId, TestContext.CancellationToken);
        // The replaced first attempt's failure arrives late (its start failed, or EventBridge delivered it again): it changes nothing.
        var late = await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, "222222222222", "eu-west-1", RegionExportStatus.Failed, Error: "old"), TestContext.CancellationToken);
        var completionsAfterLate = _notifier.Completions.Count;
        await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, "222222222222", "eu-west-1", RegionExportStatus.Complete, 5, Attempt: 1), TestContext.CancellationToken);

        Assert.AreEqual(0, directory.Calls);
        Assert.AreEqual(1, restart.Restart);
        var execution = starter.Started.Single();
        Assert.AreEqual($"{first.ExportId}-r1", execution.ExecutionName);
        Assert.AreEqual(1, execution.Input.Attempt, "the restarted state machine carries its attempt into every Region result");
        Assert.AreEqual(RecordOutcome.Superseded, late.Recorded);
        Assert.AreEqual(1, completionsAfterLate, "a replaced attempt's result does not complete the reopened export");
        Assert.AreEqual(Start, execution.Input.Until);
        Assert.AreEqual(RegionExportStatus.Complete, snapshot!.Regions.Single(r => r.AccountId == "111111111111").Status);
        Assert.AreEqual(RegionExportStatus.Pending, snapshot.Regions.Single(r => r.AccountId == "222222222222").Status);
        Assert.IsFalse(snapshot.Export.IsCompleted);
        Assert.AreEqual(2, _notifier.Completions.Count);
        Assert.AreEqual(15, ExportProgress.From((await _ledger.ReadAsync(first.ExportId, TestContext.CancellationToken))!).Totals.Findings);
    }

    [TestMethod]
    public async Task StartAsync_RestartOfUnknownExport_ThrowsArgumentException()
    {
        var launcher = Launcher(new FixedAccountDirectory(), new RecordingExportStarter());

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => launcher.StartAsync(new LaunchRequest(ExportId: "20260101T000000Z-deadbeef", Accounts: ["111111111111"]), TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "there is no export '20260101T000000Z-deadbeef'");
    }

    [TestMethod]
    public async Task StartAsync_BadAccountAndRegion_ThrowsArgumentExceptionNamingBoth()
    {
        var starter = new RecordingExportStarter();
        var launcher = Launcher(new FixedAccountDirectory(), starter);

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => launcher.StartAsync(new LaunchRequest(Accounts: ["12345"], Regions: ["Europe"]), TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "account '12345' is not a 12-digit AWS account ID");
        StringAssert.Contains(e.Message, "'Europe' is not a Region name");
        Assert.IsEmpty(starter.Started);
    }

    [TestMethod]
    public async Task StartAsync_NoRegionsAnywhere_ThrowsArgumentException()
    {
        var launcher = Launcher(new FixedAccountDirectory("111111111111"), new RecordingExportStarter());

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => launcher.StartAsync(new LaunchRequest(), TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "--regions");
    }

    [TestMethod]
    public async Task StartAsync_DefaultRegionsAndGivenAccounts_UsesThemWithoutListing()
    {
        var directory = new FixedAccountDirectory("999999999999");
        var starter = new RecordingExportStarter();
        var launcher = new ExportLauncher(_ledger, directory, starter, _coordinator, new LauncherOptions { DefaultRegions = ["us-west-2"] }, _time);

        var result = await launcher.StartAsync(new LaunchRequest(Accounts: ["111111111111"]), TestContext.CancellationToken);

        Assert.AreEqual(0, directory.Calls);
        CollectionAssert.AreEqual(new[] { "us-west-2" }, result.Regions.ToArray());
        Assert.AreEqual("111111111111", starter.Started.Single().AccountId);
    }

    [TestMethod]
    public async Task StartAsync_NoRegionsNamed_UsesTheRegionDirectory()
    {
        var starter = new RecordingExportStarter();
        var launcher = new ExportLauncher(_ledger, new FixedAccountDirectory("111111111111"), starter, _coordinator, new LauncherOptions(), _time, new FixedRegionDirectory("ap-southeast-2", "eu-west-1"));

        var result = await launcher.StartAsync(new LaunchRequest(), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "ap-southeast-2", "eu-west-1" }, result.Regions.ToArray());
        CollectionAssert.AreEqual(new[] { "ap-southeast-2", "eu-west-1" }, starter.Started.Single().Input.Regions.ToArray());
        Assert.HasCount(2, (await _ledger.ReadAsync(result.ExportId, TestContext.CancellationToken))!.Regions);
    }

    private sealed class FixedRegionDirectory(params string[] regions) : IRegionDirectory
    {
        public Task<IReadOnlyList<string>> ListRegionsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(regions);
    }

    private ExportLauncher Launcher(IAccountDirectory directory, IExportStarter starter, int maxConcurrency = 4) =>
        new(_ledger, directory, starter, _coordinator, new LauncherOptions { MaxConcurrency = maxConcurrency }, _time);
}
