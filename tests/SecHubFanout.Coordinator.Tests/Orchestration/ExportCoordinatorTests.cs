using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Orchestration;

[TestClass]
public sealed class ExportCoordinatorTests
{
    private const string ExportId = "20261123T180000Z-00c0ffee";
    private const string A = "111111111111";
    private const string B = "222222222222";
    private static readonly string[] Regions = ["eu-west-1", "us-east-1"];
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingNotifier _notifier = new();
    private readonly MemoryManifestStore _manifests = new();
    private readonly RecordingPartitionRegistrar _partitions = new();
    private DynamoDbLedger _ledger = null!;
    private ExportCoordinator _coordinator = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        _ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await _ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, Regions, null, null), TestContext.CancellationToken);
        foreach (var account in new[] { A, B })
        {
            await _ledger.ExpectAccountAsync(ExportId, account, Regions, attempt: 0, Start, TestContext.CancellationToken);
            await _ledger.RecordLaunchAsync(ExportId, account, $"arn:aws:states:eu-west-1:{account}:execution:sechub-fanout-exporter:{ExportId}", null, Start, TestContext.CancellationToken);
        }

        _coordinator = new ExportCoordinator(
            _ledger,
            _notifier,
            _manifests,
            _partitions,
            new CoordinatorOptions { FindingsBucket = "findings-bucket", GlueDatabase = "sechub_fanout", GlueTable = "findings", AthenaWorkgroup = "sechub-fanout" },
            _time);
    }

    [TestMethod]
    public async Task HandleAsync_AllRegionsFinish_OneManifestAndOneCompletionEmailAtTheLast()
    {
        var events = new[] { Ok(A, "eu-west-1", 100), Ok(A, "us-east-1", 250), NotEnabled(B, "eu-west-1"), Ok(B, "us-east-1", 1_000_000) };

        var outcomes = new List<RegionResultOutcome>();
        foreach (var e in events)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            outcomes.Add(await _coordinator.HandleAsync(e, TestContext.CancellationToken));
        }

        CollectionAssert.AreEqual(new[] { false, false, false, true }, outcomes.Select(o => o.CompletedExport).ToArray());
        Assert.AreEqual($"s3://findings-bucket/manifests/{ExportId}.json", outcomes[^1].ManifestLocation);
        Assert.AreEqual(1, _manifests.Writes.Count);
        Assert.AreEqual(1, _notifier.Messages.Count);
        Assert.AreEqual(1, _notifier.Completions.Count);
        Assert.AreEqual(ExportState.Complete, ExportProgress.From((await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!).State);
    }

    [TestMethod]
    public async Task HandleAsync_Complete_ManifestHasCountsPerAccountAndRegionStartEndDuration()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 100), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(A, "us-east-1", 250), TestContext.CancellationToken);
        await _coordinator.HandleAsync(NotEnabled(B, "eu-west-1"), TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3725));
        await _coordinator.HandleAsync(Failed(B, "us-east-1", "InvalidAccessException: not subscribed"), TestContext.CancellationToken);

        var (exportId, json) = _manifests.Writes.Single();
        using var manifest = JsonDocument.Parse(json);
        var root = manifest.RootElement;

        Assert.AreEqual(ExportId, exportId);
        Assert.AreEqual(ExportId, root.GetProperty("exportId").GetString());
        Assert.AreEqual(ExportState.CompleteWithFailures, root.GetProperty("state").GetString());
        Assert.AreEqual(Start, root.GetProperty("startedAt").GetDateTimeOffset());
        Assert.AreEqual(Start.AddSeconds(3725), root.GetProperty("completedAt").GetDateTimeOffset());
        Assert.AreEqual(3725, root.GetProperty("durationSeconds").GetDouble());
        var totals = root.GetProperty("totals");
        Assert.AreEqual(350, totals.GetProperty("findings").GetInt64());
        Assert.AreEqual(2, totals.GetProperty("regionsComplete").GetInt32());
        Assert.AreEqual(1, totals.GetProperty("regionsFailed").GetInt32());
        Assert.AreEqual(1, totals.GetProperty("regionsNotEnabled").GetInt32());
        Assert.AreEqual(1, totals.GetProperty("accountsComplete").GetInt32());
        Assert.AreEqual(1, totals.GetProperty("accountsFailed").GetInt32());
        var accountA = root.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("accountId").GetString() == A);
        Assert.AreEqual(350, accountA.GetProperty("findings").GetInt64());
        var regionsOfA = accountA.GetProperty("regions").EnumerateArray().ToDictionary(r => r.GetProperty("region").GetString()!, r => r.GetProperty("findings").GetInt64());
        Assert.AreEqual(100, regionsOfA["eu-west-1"]);
        Assert.AreEqual(250, regionsOfA["us-east-1"]);
        var failure = root.GetProperty("failures").EnumerateArray().Single();
        Assert.AreEqual(B, failure.GetProperty("accountId").GetString());
        Assert.AreEqual("us-east-1", failure.GetProperty("region").GetString());
        Assert.AreEqual("InvalidAccessException: not subscribed", failure.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task HandleAsync_EveryEventTwice_CountedOnceAndCompletedOnce()
    {
        var events = new[] { Ok(A, "eu-west-1", 100), Ok(A, "us-east-1", 250), Ok(B, "eu-west-1", 7), Ok(B, "us-east-1", 3) };

        var outcomes = new List<RecordOutcome>();
        foreach (var e in events.Concat(events))
        {
            outcomes.Add((await _coordinator.HandleAsync(e, TestContext.CancellationToken)).Recorded);
        }

        var progress = ExportProgress.From((await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!);
        Assert.AreEqual(4, outcomes.Count(o => o == RecordOutcome.Applied));
        Assert.AreEqual(4, outcomes.Count(o => o == RecordOutcome.AlreadyTerminal));
        Assert.AreEqual(360, progress.Totals.Findings);
        Assert.AreEqual(1, _manifests.Writes.Count);
        Assert.AreEqual(1, _notifier.Completions.Count);
    }

    [TestMethod]
    public async Task HandleAsync_LateCompleteAfterFailed_FailureStandsAndNothingMailed()
    {
        await _coordinator.HandleAsync(Failed(A, "eu-west-1", "InternalException: try later"), TestContext.CancellationToken);

        var late = await _coordinator.HandleAsync(Ok(A, "eu-west-1", 500), TestContext.CancellationToken);
        var again = await _coordinator.HandleAsync(Failed(A, "eu-west-1", "InternalException: try later"), TestContext.CancellationToken);
        var region = (await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single(r => r.AccountId == A && r.Region == "eu-west-1");

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, late.Recorded);
        Assert.AreEqual(RecordOutcome.AlreadyTerminal, again.Recorded);
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.AreEqual(0, region.Findings);
        Assert.IsEmpty(_notifier.Messages);
        Assert.IsEmpty(_partitions.Registered);
    }

    [TestMethod]
    public async Task HandleAsync_FailedRegionFromTheBus_NotMailedHereBecauseTheBusRuleMailsIt()
    {
        var outcome = await _coordinator.HandleAsync(Failed(B, "us-east-1", "AccessDeniedException: not authorized to perform securityhub:GetFindings"), TestContext.CancellationToken);

        var region = (await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single(r => r.AccountId == B && r.Region == "us-east-1");
        Assert.AreEqual(RecordOutcome.Applied, outcome.Recorded);
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.IsEmpty(_notifier.Messages);
    }

    [TestMethod]
    public async Task HandleLaunchFailureAsync_AccountNotStarted_AllItsRegionsFailedAndOneEmail()
    {
        const string reason = "could not start the exporter in account 222222222222: cannot assume arn:aws:iam::222222222222:role/SecHubFanoutTrigger";

        var outcome = await _coordinator.HandleLaunchFailureAsync(ExportId, B, Regions, 0, reason, TestContext.CancellationToken);

        var regionsOfB = (await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Where(r => r.AccountId == B).ToList();
        Assert.AreEqual(RecordOutcome.Applied, outcome.Recorded);
        Assert.IsFalse(outcome.CompletedExport);
        Assert.IsTrue(regionsOfB.All(r => r.Status == RegionExportStatus.Failed && r.Error == reason));
        var (subject, body) = _notifier.Messages.Single();
        Assert.AreEqual($"SecHubFanout export {ExportId}: starting account {B} failed", subject);
        StringAssert.Contains(body, "Reason: " + reason);
        StringAssert.Contains(body, $"sechub-fanout start --export-id {ExportId} --accounts {B}");
        StringAssert.Contains(body, $"sechub-fanout status {ExportId}");
    }

    [TestMethod]
    public async Task HandleLaunchFailureAsync_Repeated_MailedOnce()
    {
        await _coordinator.HandleLaunchFailureAsync(ExportId, B, Regions, 0, "denied", TestContext.CancellationToken);

        var again = await _coordinator.HandleLaunchFailureAsync(ExportId, B, Regions, 0, "denied", TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, again.Recorded);
        Assert.HasCount(1, _notifier.LaunchFailures);
    }

    [TestMethod]
    public async Task HandleAsync_BusFailureAndLaunchFailureToTheEnd_OnlyTheLaunchFailureAndTheSummaryMailed()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 10), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Failed(A, "us-east-1", "InternalException: boom"), TestContext.CancellationToken);

        var last = await _coordinator.HandleLaunchFailureAsync(ExportId, B, Regions, 0, "denied", TestContext.CancellationToken);

        Assert.IsTrue(last.CompletedExport);
        Assert.HasCount(2, _notifier.Messages);
        Assert.HasCount(1, _notifier.LaunchFailures);
        Assert.HasCount(1, _notifier.Completions);
        StringAssert.Contains(_notifier.Completions[0].Body, $"{A} us-east-1: InternalException: boom");
    }

    [TestMethod]
    public async Task HandleAsync_CompletionEmail_ReadableAtAGlance()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 1_200_000, bytes: 1_500_000_000), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(A, "us-east-1", 34_567), TestContext.CancellationToken);
        await _coordinator.HandleAsync(NotEnabled(B, "eu-west-1"), TestContext.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(3725));
        await _coordinator.HandleAsync(Failed(B, "us-east-1", "InternalException: boom"), TestContext.CancellationToken);

        var (subject, body) = _notifier.Completions.Single();

        Assert.AreEqual($"SecHubFanout export {ExportId} finished: 1,234,567 findings, 1 of 2 accounts failed", subject);
        StringAssert.Contains(body, "Findings exported:  1,234,567");
        StringAssert.Contains(body, "Accounts:           1 complete, 1 failed, 0 not enabled (of 2)");
        StringAssert.Contains(body, "Account-Regions:    2 complete, 1 failed, 1 not enabled (of 4)");
        StringAssert.Contains(body, "Duration:           1h 02m 05s (started 2026-11-23 18:00:00Z, finished 2026-11-23 19:02:05Z)");
        StringAssert.Contains(body, "Data:               s3://findings-bucket/findings/");
        StringAssert.Contains(body, $"Manifest:           s3://findings-bucket/manifests/{ExportId}.json");
        StringAssert.Contains(body, $"  {B} us-east-1: InternalException: boom");
        StringAssert.Contains(body, "FROM \"sechub_fanout\".\"findings\"");
        StringAssert.Contains(body, $"WHERE export_id = '{ExportId}'");
        StringAssert.Contains(body, "workgroup sechub-fanout");
        StringAssert.Contains(body, $"sechub-fanout status {ExportId}");
    }

    [TestMethod]
    public async Task HandleAsync_ConcurrentDuplicateFinalEvents_CompletedExactlyOnce()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 1), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(A, "us-east-1", 1), TestContext.CancellationToken);
        var finals = new[] { Ok(B, "eu-west-1", 1), Ok(B, "us-east-1", 1) };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => _coordinator.HandleAsync(finals[i % 2], TestContext.CancellationToken))));

        Assert.AreEqual(1, outcomes.Count(o => o.CompletedExport));
        Assert.AreEqual(2, outcomes.Count(o => o.Recorded == RecordOutcome.Applied));
        Assert.AreEqual(1, _manifests.Writes.Count);
        Assert.AreEqual(1, _notifier.Completions.Count);
    }

    [TestMethod]
    public async Task HandleAsync_ManifestStoreFailsOnce_RedeliveredEventCompletes()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 1), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(A, "us-east-1", 1), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(B, "eu-west-1", 1), TestContext.CancellationToken);
        _manifests.FailNext(1);

        await Assert.ThrowsExactlyAsync<IOException>(() => _coordinator.HandleAsync(Ok(B, "us-east-1", 1), TestContext.CancellationToken));
        var redelivered = await _coordinator.HandleAsync(Ok(B, "us-east-1", 1), TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, redelivered.Recorded);
        Assert.IsTrue(redelivered.CompletedExport);
        Assert.AreEqual(1, _manifests.Writes.Count);
        Assert.AreEqual(1, _notifier.Completions.Count);
    }

    [TestMethod]
    public async Task HandleAsync_CompleteRegion_RegistersItsPartitionOnly()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 5), TestContext.CancellationToken);
        await _coordinator.HandleAsync(NotEnabled(A, "us-east-1"), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Failed(B, "eu-west-1", "boom"), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { (ExportId, A, "eu-west-1") }, _partitions.Registered.ToArray());
    }

    [TestMethod]
    public async Task HandleAsync_UnknownAccount_NothingChanges()
    {
        var outcome = await _coordinator.HandleAsync(Ok("333333333333", "eu-west-1", 5), TestContext.CancellationToken);
        var snapshot = await _ledger.ReadAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.NotExpected, outcome.Recorded);
        Assert.AreEqual(4, snapshot!.Regions.Count);
        Assert.IsEmpty(_partitions.Registered);
        Assert.IsEmpty(_notifier.Messages);
    }

    [TestMethod]
    public async Task HandleAsync_MalformedStatus_ThrowsArgumentException()
    {
        var bad = Ok(A, "eu-west-1", 1) with { Status = "done" };

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => _coordinator.HandleAsync(bad, TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "status 'done'");
    }

    private static RegionExportEvent Ok(string account, string region, long findings, long bytes = 0) =>
        new(ExportId, account, region, RegionExportStatus.Complete, findings, Pages: (findings / 100) + 1, Parts: (findings / 50_000) + 1, Bytes: bytes == 0 ? findings * 900 : bytes, DurationMs: 60_000);

    private static RegionExportEvent NotEnabled(string account, string region) =>
        new(ExportId, account, region, RegionExportStatus.NotEnabled, Error: "Security Hub is not enabled");

    private static RegionExportEvent Failed(string account, string region, string error) =>
        new(ExportId, account, region, RegionExportStatus.Failed, Error: error);
}
