using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Orchestration;

[TestClass]
public sealed class ExportReconcilerTests
{
    private const string ExportId = "20261123T180000Z-0dec0de0";
    private const string A = "111111111111";
    private const string B = "222222222222";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingNotifier _notifier = new();
    private readonly MemoryManifestStore _manifests = new();
    private DynamoDbLedger _ledger = null!;
    private string _table = null!;
    private ExportCoordinator _coordinator = null!;
    private ExportReconciler _reconciler = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        (_ledger, _table) = await Exports.NewLedgerAsync(TestContext.CancellationToken);
        _coordinator = new ExportCoordinator(_ledger, _notifier, _manifests, new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, _time);
        _reconciler = new ExportReconciler(_ledger, _coordinator, new ReconcilerOptions(), _time);
    }

    [TestMethod]
    public async Task RunAsync_RegionsSilentPastTheDeadline_FailedAsSilentAndTheExportCompletesWithOneSummary()
    {
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1", "us-east-1", "us-west-2"], [B] = ["eu-west-1", "us-east-1"] }, TestContext.CancellationToken);
        await _coordinator.HandleAsync(new RegionExportEvent(ExportId, A, "eu-west-1", RegionExportStatus.Complete, 3), TestContext.CancellationToken);

        _time.Advance(TimeSpan.FromHours(24));
        var early = await _reconciler.RunAsync(TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromHours(1));
        var due = await _reconciler.RunAsync(TestContext.CancellationToken);
        var after = await _reconciler.RunAsync(TestContext.CancellationToken);
        var regions = await Exports.RegionsAsync(_ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(0, early.RegionsSilenced, "24 hours is within a member execution's lifetime");
        Assert.AreEqual(4, due.RegionsSilenced);
        Assert.AreEqual(1, due.Completed);
        Assert.AreEqual(0, after.OpenExports);
        Assert.IsTrue(regions.Where(r => r.Region != "eu-west-1" || r.AccountId != A).All(r => r.Status == RegionExportStatus.Failed && r.FailureKind == FailureKinds.Silent));
        Assert.HasCount(1, _notifier.Completions);
        Assert.IsEmpty(_notifier.Digests, "no 'still running' digest about an export this pass completed");
        Assert.AreEqual(_notifier.Completions[0], _notifier.Messages.Last());
        StringAssert.Contains(_notifier.Completions[0].Body, "        4  silent past the deadline (silent)");
    }

    [TestMethod]
    public async Task RunAsync_RestartedAccountSilent_GetsAFreshDeadline()
    {
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1"], [B] = ["eu-west-1"] }, TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromHours(20));
        await _ledger.RestartAccountAsync(ExportId, B, 1, _time.GetUtcNow(), TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromHours(6));

        var pass = await _reconciler.RunAsync(TestContext.CancellationToken);
        var regions = await Exports.RegionsAsync(_ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, pass.RegionsSilenced);
        Assert.AreEqual(RegionExportStatus.Failed, regions.Single(r => r.AccountId == A).Status);
        Assert.AreEqual(RegionExportStatus.Pending, regions.Single(r => r.AccountId == B).Status, "restarted 6 hours ago");
        Assert.IsEmpty(_notifier.Completions);
    }

    [TestMethod]
    public async Task RunAsync_CounterChangeLostInACrash_RepairedOnceQuietAndTheExportCompletes()
    {
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1", "us-east-1"] }, TestContext.CancellationToken);
        await _coordinator.HandleAsync(new RegionExportEvent(ExportId, A, "eu-west-1", RegionExportStatus.Complete, 10, Parts: 1), TestContext.CancellationToken);
        var lost = new RegionExportEvent(ExportId, A, "us-east-1", RegionExportStatus.Complete, 32, Pages: 1, Parts: 1, Bytes: 3200);
        await _ledger.RecordRegionResultAsync(lost, _time.GetUtcNow(), TestContext.CancellationToken);
        await Exports.LoseCounterAddAsync(_table, 4, lost, TestContext.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(5));
        var tooSoon = await _reconciler.RunAsync(TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(11));
        var quiet = await _reconciler.RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(0, tooSoon.ShardsRepaired, "counters that changed minutes ago may have a result in flight");
        Assert.AreEqual(0, tooSoon.Completed);
        Assert.AreEqual(1, quiet.ShardsRepaired);
        Assert.AreEqual(1, quiet.Completed);
        var (subject, _) = _notifier.Completions.Single();
        StringAssert.Contains(subject, "complete: 42 findings from 1 accounts");
        Assert.AreEqual(42, (await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken)).Findings);
    }

    [TestMethod]
    public async Task RunAsync_LaunchDiedAfterCountingItsOnlyAccount_RepairedAndClosedNotOpenForever()
    {
        // The launcher counted an account's Regions and died before writing its items: no result can ever arrive.
        Assert.IsTrue(await _ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, ["eu-west-1", "us-east-1"], null, null, Shards: 4), TestContext.CancellationToken));
        await SharedLedger.Fixture.Client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = Exports.ShardKey(ExportId, A, 4) }, ["sk"] = new() { S = "#COUNT" } },
                UpdateExpression = "ADD expected :two, accounts :one",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":two"] = new() { N = "2" }, [":one"] = new() { N = "1" } },
            },
            TestContext.CancellationToken);

        var reports = new List<ReconcileReport>();
        for (var hour = 1; hour <= 30; hour++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            reports.Add(await _reconciler.RunAsync(TestContext.CancellationToken));
        }

        Assert.AreEqual(1, reports.Sum(r => r.LaunchesClosed));
        Assert.AreEqual(1, reports.Sum(r => r.Completed), string.Join(" | ", reports.Select(r => r.ToString())));
        Assert.IsEmpty(await _ledger.ListOpenExportsAsync(TestContext.CancellationToken));
        Assert.HasCount(1, _notifier.Completions);
    }

    [TestMethod]
    public async Task RunAsync_FailuresKeepComing_DigestsWaitLongerAfterEachOne()
    {
        var regions = Enumerable.Range(0, 12).Select(i => $"eu-test-{i}").ToArray();
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = regions, [B] = ["eu-west-1"] }, TestContext.CancellationToken);
        var next = 0;
        async Task FailOneAsync() => await _coordinator.HandleAsync(
            new RegionExportEvent(ExportId, A, regions[next++], RegionExportStatus.Failed, Error: "AccessDeniedException: explicit deny", FailureKind: FailureKinds.AccessDenied),
            TestContext.CancellationToken);

        // Three failures are mailed at once; from then on each reconciler pass a minute apart mails a digest only when one is due.
        for (var i = 0; i < ExportMessages.ImmediateFailureMails; i++)
        {
            await FailOneAsync();
        }

        var digestMinutes = new List<int>();
        for (var minute = 1; minute <= 40 && next < regions.Length; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            if (minute % 4 == 1)
            {
                await FailOneAsync();
            }

            if ((await _reconciler.RunAsync(TestContext.CancellationToken)).Digests == 1)
            {
                digestMinutes.Add(minute);
            }
        }

        Assert.HasCount(ExportMessages.ImmediateFailureMails, _notifier.Failures);
        // The failure of minute 1 is digested at once; the next digests wait 5, then 10 minutes (then 20: past minute 33, the last failure).
        CollectionAssert.AreEqual(new[] { 1, 6, 16 }, digestMinutes, string.Join(",", digestMinutes));
        Assert.AreEqual(3, (await _ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.Digests);
    }

    [TestMethod]
    public async Task RunAsync_LaunchNeverMarked_ClosedAfterLaunchStalledAfterAndCompleted()
    {
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1"] }, TestContext.CancellationToken, launched: false);
        await _coordinator.HandleAsync(new RegionExportEvent(ExportId, A, "eu-west-1", RegionExportStatus.Complete, 5), TestContext.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(119));
        var early = await _reconciler.RunAsync(TestContext.CancellationToken);
        var stillOpen = await _ledger.GetExportAsync(ExportId, TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(1));
        var due = await _reconciler.RunAsync(TestContext.CancellationToken);
        var closed = await _ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(0, early.LaunchesClosed);
        Assert.IsNull(stillOpen!.LaunchedAt);
        Assert.IsFalse(stillOpen.IsCompleted, "every result is in, but the launcher may still be expecting accounts");
        Assert.AreEqual(1, due.LaunchesClosed);
        Assert.AreEqual(1, due.Completed);
        Assert.AreEqual(Start.AddHours(2), closed!.LaunchedAt);
        Assert.IsTrue(closed.IsCompleted);
        Assert.HasCount(1, _notifier.Completions);
        var notice = _notifier.Messages.Single(m => m.Subject.Contains("the launch stopped", StringComparison.Ordinal));
        StringAssert.Contains(notice.Subject, "after 1 accounts");
        StringAssert.Contains(notice.Body, "accounts it never reached are not part of it");
    }

    [TestMethod]
    public async Task RunAsync_ExportStillRunning_ReadsCountersNotItemsAndMailsNothing()
    {
        var accounts = Enumerable.Range(1, 30).Select(i => (600_000_000_000L + i).ToString(CultureInfo.InvariantCulture)).ToDictionary(a => a, _ => new[] { "eu-west-1", "us-east-1", "us-west-2" });
        await Exports.SeedAsync(_ledger, ExportId, Start, accounts, TestContext.CancellationToken, shards: 8);
        var reconciler = new DynamoDbLedger(SharedLedger.Fixture.Client, _table);
        var pass = new ExportReconciler(reconciler, new ExportCoordinator(reconciler, _notifier, _manifests, new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "b" }, _time), new ReconcilerOptions(), _time);
        _time.Advance(TimeSpan.FromMinutes(10));

        var report = await pass.RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(1, report.OpenExports);
        Assert.AreEqual(new ReconcileReport(1, 0, 0, 0, 0, 0), report);
        Assert.IsLessThan(90, reconciler.Usage.ItemsRead, $"{reconciler.Usage.ItemsRead} items read for an export of 90 Regions: counters only");
        Assert.IsEmpty(_notifier.Messages);
    }
}
