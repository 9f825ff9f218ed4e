using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Orchestration;

[TestClass]
public sealed class ExportLauncherTests
{
    private const string A = "111111111111";
    private const string B = "222222222222";
    private const string C = "333333333333";
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
    public async Task StartAsync_TwentyAccounts_NeverMoreThanMaxConcurrencyAtOnceAndEverySessionClosed()
    {
        var accounts = Enumerable.Range(1, 20).Select(i => $"{i:000000000000}").ToArray();
        var starter = new RecordingExportStarter(TimeSpan.FromMilliseconds(30));
        var launcher = Launcher(new FixedAccountDirectory(accounts), starter, maxConcurrency: 3);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        Assert.AreEqual(20, result.Started);
        Assert.HasCount(20, starter.Started);
        Assert.IsLessThanOrEqualTo(3, starter.MaxRunning);
        Assert.IsGreaterThanOrEqualTo(1, starter.MaxRunning);
        Assert.AreEqual(0, starter.OpenSessions);
    }

    [TestMethod]
    public async Task StartAsync_OneAccountCannotStart_RecordedFailedWithReasonOthersStarted()
    {
        var starter = new RecordingExportStarter(default, B);
        var launcher = Launcher(new FixedAccountDirectory(A, B, C), starter);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1", "us-east-1"]), TestContext.CancellationToken);
        var export = (await _ledger.GetExportAsync(result.ExportId, TestContext.CancellationToken))!;
        var regions = await Exports.RegionsAsync(_ledger, result.ExportId, TestContext.CancellationToken);
        var summary = ExportSummary.From(export, await _ledger.GetCountersAsync(export, TestContext.CancellationToken));

        Assert.AreEqual(2, result.Started);
        Assert.AreEqual(1, result.Failed);
        Assert.AreEqual(B, result.Failures.Single().AccountId);
        StringAssert.Contains(result.Failures.Single().Error, "could not start the exporter in account 222222222222: AccessDenied");
        CollectionAssert.AreEquivalent(new[] { A, C }, starter.Started.Select(s => s.AccountId).ToArray());
        var failedAccount = await _ledger.GetAccountAsync(result.ExportId, B, TestContext.CancellationToken);
        Assert.AreEqual(AccountLaunchStatus.Failed, failedAccount!.Launch);
        StringAssert.Contains(failedAccount.Error, "AccessDenied");
        Assert.IsTrue(regions.Where(r => r.AccountId == B).All(r => r.Status == RegionExportStatus.Failed && r.FailureKind == FailureKinds.LaunchFailed && r.Error!.Contains("could not start the exporter", StringComparison.Ordinal)));
        Assert.IsTrue(regions.Where(r => r.AccountId != B).All(r => r.Status == RegionExportStatus.Pending));
        Assert.AreEqual(AccountLaunchStatus.Started, (await _ledger.GetAccountAsync(result.ExportId, A, TestContext.CancellationToken))!.Launch);
        Assert.IsTrue(_notifier.Failures.All(m => m.Subject.EndsWith($"of account {B} failed", StringComparison.Ordinal)));
        Assert.HasCount(2, _notifier.Failures);
        StringAssert.Contains(_notifier.Failures[0].Body, "Reason: could not start the exporter in account 222222222222");
        StringAssert.Contains(_notifier.Failures[0].Body, $"sechub-fanout start --export-id {result.ExportId} --accounts 222222222222");
        Assert.AreEqual(ExportState.Running, summary.State);
        Assert.AreEqual(1, summary.Totals.AccountsLaunchFailed);
        Assert.IsNotNull(export.LaunchedAt);
    }

    [TestMethod]
    public async Task StartAsync_EveryAccountFails_ExportCompletesWithFailures()
    {
        var starter = new RecordingExportStarter(default, A);
        var launcher = Launcher(new FixedAccountDirectory(A), starter);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        Assert.AreEqual(1, result.Failed);
        Assert.HasCount(1, _manifests.Writes);
        Assert.HasCount(1, _notifier.Completions);
        Assert.HasCount(1, _notifier.Failures);
        Assert.HasCount(2, _notifier.Messages);
    }

    [TestMethod]
    public async Task StartAsync_AtEachStart_ItsRegionsAreExpectedAndTheExportIsNotLaunchedYet()
    {
        var starter = new RecordingExportStarter();
        var seen = new List<string>();
        starter.OnStart = async execution =>
        {
            var regions = await _ledger.GetAccountRegionsAsync(execution.Input.ExportId, execution.AccountId, CancellationToken.None);
            var export = await _ledger.GetExportAsync(execution.Input.ExportId, CancellationToken.None);
            lock (seen)
            {
                seen.Add($"{regions.Count(r => r.Status == RegionExportStatus.Pending)} {export!.LaunchedAt is null}");
            }
        };
        var launcher = Launcher(new FixedAccountDirectory(A, B, C), starter);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1", "us-east-1"]), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "2 True", "2 True", "2 True" }, seen.ToArray());
        Assert.IsNotNull((await _ledger.GetExportAsync(result.ExportId, TestContext.CancellationToken))!.LaunchedAt, "marked launched once every account is expected");
    }

    [TestMethod]
    public async Task StartAsync_EveryResultArrivesDuringTheLaunch_CompletesOnlyWhenTheLaunchEnds()
    {
        var starter = new RecordingExportStarter();
        var completedDuringLaunch = new List<bool>();
        starter.OnStart = async execution =>
        {
            foreach (var region in execution.Input.Regions)
            {
                var outcome = await _coordinator.HandleAsync(new RegionExportEvent(execution.Input.ExportId, execution.AccountId, region, RegionExportStatus.Complete, 1), CancellationToken.None);
                lock (completedDuringLaunch)
                {
                    completedDuringLaunch.Add(outcome.CompletedExport);
                }
            }
        };
        var launcher = Launcher(new FixedAccountDirectory(A, B), starter, maxConcurrency: 1);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { false, false }, completedDuringLaunch.ToArray(), "the first account's results alone must not finish the export");
        Assert.HasCount(1, _notifier.Completions);
        StringAssert.Contains(_notifier.Completions[0].Subject, "from 2 accounts");
        Assert.IsTrue((await _ledger.GetExportAsync(result.ExportId, TestContext.CancellationToken))!.IsCompleted);
    }

    [TestMethod]
    public async Task StartAsync_NewExport_InputCarriesExportRangeAndFiltersAndLedgerHasThem()
    {
        var starter = new RecordingExportStarter();
        var launcher = Launcher(new FixedAccountDirectory(A), starter);
        using var filters = JsonDocument.Parse("{\"SeverityLabel\":[{\"Value\":\"CRITICAL\",\"Comparison\":\"EQUALS\"}]}");
        var since = Start.AddDays(-30);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"], Filters: filters.RootElement, Since: since), TestContext.CancellationToken);

        var execution = starter.Started.Single();
        Assert.IsTrue(ExportIds.IsValid(result.ExportId));
        StringAssert.StartsWith(result.ExportId, "20261123T180000Z-");
        Assert.AreEqual(result.ExportId, execution.ExecutionName);
        Assert.AreEqual(result.ExportId, execution.Input.ExportId);
        Assert.AreEqual(A, execution.Input.AccountId);
        Assert.AreEqual(0, execution.Input.Attempt);
        Assert.AreEqual(Start, execution.Input.Until);
        Assert.AreEqual(since, execution.Input.Since);
        Assert.AreEqual("CRITICAL", execution.Input.Filters!.Value.GetProperty("SeverityLabel")[0].GetProperty("Value").GetString());
        var export = await _ledger.GetExportAsync(result.ExportId, TestContext.CancellationToken);
        Assert.AreEqual(since, export!.Since);
        StringAssert.Contains(export.FiltersJson, "CRITICAL");
        Assert.AreEqual(1, export.Shards, "one account needs one shard");
        Assert.AreEqual(Exports.ExecutionArn(A, result.ExportId), (await _ledger.GetAccountAsync(result.ExportId, A, TestContext.CancellationToken))!.ExecutionArn);
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(250, 1)]
    [DataRow(251, 2)]
    [DataRow(600, 3)]
    [DataRow(10_000, 40)]
    [DataRow(100_000, 64)]
    public void ShardsFor_OrganizationSize_OneShardPerStartedTwoHundredFiftyAccountsAtMostSixtyFour(int accounts, int shards) =>
        Assert.AreEqual(shards, new LauncherOptions().ShardsFor(accounts));

    [TestMethod]
    public async Task StartAsync_NoRegionsNamed_EachAccountExportsTheRegionsEnabledInIt()
    {
        var starter = new RecordingExportStarter
        {
            EnabledRegions = { [A] = ["eu-west-1", "me-central-1"], [B] = ["us-east-1"] },
        };
        var launcher = Launcher(new FixedAccountDirectory(A, B), starter);

        var result = await launcher.StartAsync(new LaunchRequest(), TestContext.CancellationToken);
        var executions = starter.Started.ToDictionary(e => e.AccountId);

        Assert.IsEmpty(result.Regions, "no Region list for the whole export");
        CollectionAssert.AreEqual(new[] { "eu-west-1", "me-central-1" }, executions[A].Input.Regions.ToArray());
        CollectionAssert.AreEqual(new[] { "us-east-1" }, executions[B].Input.Regions.ToArray());
        CollectionAssert.AreEqual(new[] { "eu-west-1", "me-central-1" }, (await _ledger.GetAccountRegionsAsync(result.ExportId, A, TestContext.CancellationToken)).Select(r => r.Region).ToArray());
        CollectionAssert.AreEqual(new[] { "us-east-1" }, (await _ledger.GetAccountRegionsAsync(result.ExportId, B, TestContext.CancellationToken)).Select(r => r.Region).ToArray());
        Assert.AreEqual(3, (await Exports.CountersAsync(_ledger, result.ExportId, TestContext.CancellationToken)).Expected);
        Assert.HasCount(2, starter.Calls.Where(c => c.StartsWith("regions ", StringComparison.Ordinal)).ToList());
    }

    [TestMethod]
    public async Task StartAsync_DefaultRegionsAndGivenAccounts_UsesThemWithoutListingAnything()
    {
        var directory = new FixedAccountDirectory("999999999999");
        var starter = new RecordingExportStarter();
        var launcher = new ExportLauncher(_ledger, directory, starter, _coordinator, new LauncherOptions { DefaultRegions = ["us-west-2"] }, _time);

        var result = await launcher.StartAsync(new LaunchRequest(Accounts: [A]), TestContext.CancellationToken);

        Assert.AreEqual(0, directory.Calls);
        CollectionAssert.AreEqual(new[] { "us-west-2" }, result.Regions.ToArray());
        Assert.AreEqual(A, starter.Started.Single().AccountId);
        CollectionAssert.AreEqual(new[] { "us-west-2" }, starter.Started.Single().Input.Regions.ToArray());
        Assert.IsFalse(starter.Calls.Any(c => c.StartsWith("regions ", StringComparison.Ordinal)), "given Regions are not listed per account");
    }

    [TestMethod]
    public async Task StartAsync_AlsoLaunch_TheCentralAccountIsStartedBesidesTheDirectorys()
    {
        var starter = new RecordingExportStarter();
        var launcher = new ExportLauncher(_ledger, new FixedAccountDirectory(A, B), starter, _coordinator, new LauncherOptions { AlsoLaunch = ["999999999999", A] }, _time);

        var result = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        Assert.AreEqual(3, result.Started);
        CollectionAssert.AreEquivalent(new[] { A, B, "999999999999" }, starter.Started.Select(e => e.AccountId).ToArray(), "an account both listed and added starts once");
        Assert.AreEqual(3, (await Exports.CountersAsync(_ledger, result.ExportId, TestContext.CancellationToken)).Accounts);
    }

    [TestMethod]
    public async Task StartAsync_SessionCannotBeOpened_ExpectedWithTheStandInFailedAtOnceAndTheExportStillCompletes()
    {
        var starter = new RecordingExportStarter { FailOpen = [C], EnabledRegions = { [A] = ["eu-west-1"] } };
        var launcher = Launcher(new FixedAccountDirectory(A, C), starter);

        var result = await launcher.StartAsync(new LaunchRequest(), TestContext.CancellationToken);
        var standIn = (await _ledger.GetAccountRegionsAsync(result.ExportId, C, TestContext.CancellationToken)).Single();
        var failureMail = _notifier.Failures.Single();
        var done = await _coordinator.HandleAsync(new RegionExportEvent(result.ExportId, A, "eu-west-1", RegionExportStatus.Complete, 8), TestContext.CancellationToken);

        Assert.AreEqual(1, result.Started);
        StringAssert.Contains(result.Failures.Single().Error, "cannot assume arn:aws:iam::333333333333:role/SecHubFanoutTrigger");
        Assert.AreEqual(LaunchRegions.All, standIn.Region);
        Assert.AreEqual(RegionExportStatus.Failed, standIn.Status);
        Assert.AreEqual(FailureKinds.LaunchFailed, standIn.FailureKind);
        Assert.AreEqual(AccountLaunchStatus.Failed, (await _ledger.GetAccountAsync(result.ExportId, C, TestContext.CancellationToken))!.Launch);
        Assert.AreEqual($"SecHubFanout export {result.ExportId}: account {C} failed", failureMail.Subject);
        Assert.IsTrue(done.CompletedExport);
        var completion = _notifier.Completions.Single();
        StringAssert.Contains(completion.Subject, "1 of 2 accounts failed");
        StringAssert.Contains(completion.Body, $"  {C} (not started): could not start the exporter in account {C}");
        StringAssert.Contains(completion.Body, "could not be started (launch-failed)");
        Assert.IsFalse(starter.Calls.Any(c => c.StartsWith($"start {C}", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task StartAsync_RegionsCannotBeListed_StandInFailedAndNoExecutionStarted()
    {
        var starter = new RecordingExportStarter { FailRegions = [B] };
        var launcher = Launcher(new FixedAccountDirectory(A, B), starter);

        var result = await launcher.StartAsync(new LaunchRequest(), TestContext.CancellationToken);
        var standIn = (await _ledger.GetAccountRegionsAsync(result.ExportId, B, TestContext.CancellationToken)).Single();

        Assert.AreEqual(1, result.Started);
        StringAssert.Contains(result.Failures.Single().Error, "could not list the Regions enabled in the account");
        Assert.AreEqual(LaunchRegions.All, standIn.Region);
        Assert.AreEqual(RegionExportStatus.Failed, standIn.Status);
        Assert.IsFalse(starter.Started.Any(e => e.AccountId == B));
        Assert.AreEqual(0, starter.OpenSessions, "the session is closed on the failure path too");
    }

    [TestMethod]
    public async Task StartAsync_RestartChosenAccount_ResetsOnlyItAndUsesRestartExecutionName()
    {
        var launcher = Launcher(new FixedAccountDirectory(A, B), new RecordingExportStarter(default, B));
        var first = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);
        await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, A, "eu-west-1", RegionExportStatus.Complete, 10), TestContext.CancellationToken);
        Assert.HasCount(1, _notifier.Completions);
        var directory = new FixedAccountDirectory();
        var starter = new RecordingExportStarter();
        _time.Advance(TimeSpan.FromHours(1));

        var restart = await Launcher(directory, starter).StartAsync(new LaunchRequest(ExportId: first.ExportId, Accounts: [B]), TestContext.CancellationToken);
        var regions = await Exports.RegionsAsync(_ledger, first.ExportId, TestContext.CancellationToken);
        var reopened = await _ledger.GetExportAsync(first.ExportId, TestContext.CancellationToken);
        // The replaced first attempt's failure arrives late (its start failed, or EventBridge delivered it again): it changes nothing.
        var late = await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, B, "eu-west-1", RegionExportStatus.Failed, Error: "old"), TestContext.CancellationToken);
        var completionsAfterLate = _notifier.Completions.Count;
        await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, B, "eu-west-1", RegionExportStatus.Complete, 5, Attempt: 1), TestContext.CancellationToken);

        Assert.AreEqual(0, directory.Calls);
        Assert.AreEqual(1, restart.Restart);
        var execution = starter.Started.Single();
        Assert.AreEqual($"{first.ExportId}-r1", execution.ExecutionName);
        Assert.AreEqual(1, execution.Input.Attempt, "the restarted state machine carries its attempt into every Region result");
        Assert.IsEmpty(starter.Stopped, "the first attempt never ran: nothing to stop");
        Assert.AreEqual(RecordOutcome.Superseded, late.Recorded);
        Assert.AreEqual(1, completionsAfterLate, "a replaced attempt's result does not complete the reopened export");
        Assert.AreEqual(Start, execution.Input.Until);
        Assert.AreEqual(RegionExportStatus.Complete, regions.Single(r => r.AccountId == A).Status);
        Assert.AreEqual(RegionExportStatus.Pending, regions.Single(r => r.AccountId == B).Status);
        Assert.IsFalse(reopened!.IsCompleted);
        Assert.HasCount(2, _notifier.Completions);
        Assert.AreEqual(15, (await Exports.CountersAsync(_ledger, first.ExportId, TestContext.CancellationToken)).Findings);
        Assert.AreEqual(0, (await Exports.CountersAsync(_ledger, first.ExportId, TestContext.CancellationToken)).AccountsLaunchFailed);
    }

    [TestMethod]
    public async Task StartAsync_RestartOfAStartedAccount_StopsTheReplacedExecutionBeforeStartingTheNewOne()
    {
        var first = await Launcher(new FixedAccountDirectory(A, B), new RecordingExportStarter()).StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);
        var starter = new RecordingExportStarter();

        var restart = await Launcher(new FixedAccountDirectory(), starter).StartAsync(new LaunchRequest(ExportId: first.ExportId, Accounts: [A]), TestContext.CancellationToken);
        var account = await _ledger.GetAccountAsync(first.ExportId, A, TestContext.CancellationToken);

        Assert.AreEqual(1, restart.Started);
        CollectionAssert.AreEqual(
            new[] { $"open {A}", $"stop {A} {Exports.ExecutionArn(A, first.ExportId)}", $"start {A} {first.ExportId}-r1", $"close {A}" },
            starter.Calls.ToArray());
        StringAssert.Contains(starter.Stopped.Single().Cause, $"replaced by restart 1 of export {first.ExportId}");
        Assert.AreEqual(Exports.ExecutionArn(A, first.ExportId + "-r1"), account!.ExecutionArn);
        Assert.AreEqual(1, account.Attempt);
    }

    [TestMethod]
    public async Task StartAsync_ReplacedExecutionCannotBeStopped_NothingStartedAndTheAccountRecordedFailed()
    {
        var first = await Launcher(new FixedAccountDirectory(A), new RecordingExportStarter()).StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);
        var starter = new RecordingExportStarter { FailStop = [A] };

        var restart = await Launcher(new FixedAccountDirectory(), starter).StartAsync(new LaunchRequest(ExportId: first.ExportId, Accounts: [A]), TestContext.CancellationToken);
        var region = (await _ledger.GetAccountRegionsAsync(first.ExportId, A, TestContext.CancellationToken)).Single();

        Assert.AreEqual(0, restart.Started);
        StringAssert.Contains(restart.Failures.Single().Error, "could not stop the execution");
        Assert.IsEmpty(starter.Started, "two executions would write the same part keys");
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.AreEqual(1, region.Attempt);
    }

    [TestMethod]
    public async Task StartAsync_RestartWhileTheExportIsStillLaunching_RefusedWithoutTouchingAnything()
    {
        const string launching = "20261123T180000Z-1a0c4c4e";
        await Exports.SeedAsync(_ledger, launching, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1"] }, TestContext.CancellationToken, launched: false);
        var starter = new RecordingExportStarter();

        var e = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => Launcher(new FixedAccountDirectory(), starter).StartAsync(new LaunchRequest(ExportId: launching, Accounts: [A]), TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "still being launched");
        Assert.IsEmpty(starter.Calls);
        Assert.AreEqual(0, (await _ledger.GetExportAsync(launching, TestContext.CancellationToken))!.Restarts);
        Assert.AreEqual(0, (await _ledger.GetAccountAsync(launching, A, TestContext.CancellationToken))!.Attempt);
    }

    [TestMethod]
    public async Task StartAsync_RestartOfAnAccountUnreachableAtFirst_ListsItsRegionsNowAndReplacesTheStandIn()
    {
        var first = await Launcher(new FixedAccountDirectory(A, C), new RecordingExportStarter { FailOpen = [C] }).StartAsync(new LaunchRequest(), TestContext.CancellationToken);
        var starter = new RecordingExportStarter { EnabledRegions = { [C] = ["eu-west-1", "sa-east-1"] } };

        var restart = await Launcher(new FixedAccountDirectory(), starter).StartAsync(new LaunchRequest(ExportId: first.ExportId, Accounts: [C]), TestContext.CancellationToken);
        var regions = await _ledger.GetAccountRegionsAsync(first.ExportId, C, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(_ledger, first.ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, restart.Started);
        CollectionAssert.AreEqual(new[] { "eu-west-1", "sa-east-1" }, starter.Started.Single().Input.Regions.ToArray());
        CollectionAssert.AreEqual(new[] { "eu-west-1", "sa-east-1" }, regions.Select(r => r.Region).ToArray());
        Assert.IsTrue(regions.All(r => r.Status == RegionExportStatus.Pending && r.Attempt == 1));
        Assert.AreEqual(4, counters.Expected, "A's two default Regions and C's two");
        Assert.AreEqual(0, counters.Failed);
    }

    [TestMethod]
    public async Task StartAsync_OutOfTime_HandsTheRestOnAndTheContinuationStartsExactlyTheRemainingAccounts()
    {
        // Arrange: six accounts one at a time; each start takes the fake clock 5 seconds on, and the launch must stop taking accounts after 10.
        var accounts = Enumerable.Range(1, 6).Select(i => $"50000000000{i}").ToArray();
        var starter = new RecordingExportStarter();
        starter.OnStart = _ =>
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            return Task.CompletedTask;
        };
        var continuation = new RecordingContinuation();
        var launcher = new ExportLauncher(_ledger, new FixedAccountDirectory(accounts), starter, _coordinator, new LauncherOptions { MaxConcurrency = 1, DefaultRegions = ["eu-west-1"] }, _time, continuation);

        // Act
        var first = await launcher.StartAsync(new LaunchRequest(), TestContext.CancellationToken, Start.AddSeconds(10));
        var afterFirst = await _ledger.GetExportAsync(first.ExportId, TestContext.CancellationToken);
        foreach (var execution in starter.Started)
        {
            await _coordinator.HandleAsync(new RegionExportEvent(first.ExportId, execution.AccountId, "eu-west-1", RegionExportStatus.Complete, 1), TestContext.CancellationToken);
        }

        var completionsBeforeTheRest = _notifier.Completions.Count;
        var handedOn = continuation.Requests.Single();
        var second = await launcher.StartAsync(handedOn, TestContext.CancellationToken, _time.GetUtcNow().AddMinutes(10));
        var afterSecond = await _ledger.GetExportAsync(first.ExportId, TestContext.CancellationToken);

        // Assert
        Assert.IsTrue(first.Continued);
        Assert.AreEqual(2, first.Started);
        Assert.AreEqual(first.ExportId, handedOn.ContinueExportId);
        Assert.IsNull(handedOn.Accounts);
        Assert.IsNull(afterFirst!.LaunchedAt, "not every account is expected yet");
        Assert.AreEqual(0, completionsBeforeTheRest, "the first accounts' results must not finish the export");
        Assert.IsFalse(second.Continued);
        Assert.AreEqual(4, second.Started);
        Assert.AreEqual(first.ExportId, second.ExportId);
        CollectionAssert.AreEqual(accounts, starter.Started.Select(e => e.AccountId).Order(StringComparer.Ordinal).ToArray(), "every account started exactly once");
        Assert.IsTrue(starter.Started.All(e => e.ExecutionName == first.ExportId));
        Assert.IsNotNull(afterSecond!.LaunchedAt);
        Assert.HasCount(1, continuation.Requests, "the second invocation finished: nothing more handed on");
        Assert.AreEqual(6, (await Exports.CountersAsync(_ledger, first.ExportId, TestContext.CancellationToken)).Accounts);
    }

    [TestMethod]
    public async Task StartAsync_ContinueAnExportAlreadyLaunched_StartsNothing()
    {
        var starter = new RecordingExportStarter();
        var launcher = Launcher(new FixedAccountDirectory(A), starter);
        var first = await launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken);

        var again = await launcher.StartAsync(new LaunchRequest(ContinueExportId: first.ExportId), TestContext.CancellationToken);

        Assert.AreEqual(0, again.Started);
        Assert.HasCount(1, starter.Started);
    }

    [TestMethod]
    public async Task StartAsync_RestartOfUnknownExport_ThrowsArgumentException()
    {
        var launcher = Launcher(new FixedAccountDirectory(), new RecordingExportStarter());

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => launcher.StartAsync(new LaunchRequest(ExportId: "20260101T000000Z-deadbeef", Accounts: [A]), TestContext.CancellationToken));

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
        Assert.IsEmpty(starter.Calls);
    }

    [TestMethod]
    public async Task StartAsync_NoTargetAccounts_ThrowsBeforeCreatingAnExport()
    {
        var launcher = Launcher(new FixedAccountDirectory(), new RecordingExportStarter());

        var e = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => launcher.StartAsync(new LaunchRequest(Regions: ["eu-west-1"]), TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "no target accounts");
        Assert.IsEmpty(await _ledger.ListOpenExportsAsync(TestContext.CancellationToken));
    }

    private ExportLauncher Launcher(IAccountDirectory directory, IExportStarter starter, int maxConcurrency = 4) =>
        new(_ledger, directory, starter, _coordinator, new LauncherOptions { MaxConcurrency = maxConcurrency }, _time);
}
