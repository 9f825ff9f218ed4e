using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

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
    private string _table = null!;
    private ExportCoordinator _coordinator = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        (_ledger, _table) = await Exports.NewLedgerAsync(TestContext.CancellationToken);
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = Regions, [B] = Regions }, TestContext.CancellationToken);
        _coordinator = Coordinator(_ledger);
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
        Assert.HasCount(1, _manifests.Writes);
        Assert.HasCount(1, _notifier.Messages);
        Assert.HasCount(1, _notifier.Completions);
        Assert.AreEqual(ExportState.Complete, (await SummaryAsync()).State);
        Assert.IsEmpty(await _ledger.ListOpenExportsAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task HandleAsync_AllResultsBeforeTheLaunchIsMarked_CompletesOnlyOnceLaunched()
    {
        const string launching = "20261123T180000Z-1a0c4c4e";
        await Exports.SeedAsync(_ledger, launching, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1"] }, TestContext.CancellationToken, launched: false);

        var last = await _coordinator.HandleAsync(Ok(A, "eu-west-1", 5) with { ExportId = launching }, TestContext.CancellationToken);
        var early = await _coordinator.TryCompleteAsync(launching, TestContext.CancellationToken);
        await _ledger.MarkLaunchedAsync(launching, Start.AddMinutes(1), TestContext.CancellationToken);
        var launched = await _coordinator.TryCompleteAsync(launching, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.Applied, last.Recorded);
        Assert.IsFalse(last.CompletedExport, "more accounts may still be expected while the launch runs");
        Assert.IsNull(early);
        Assert.AreEqual($"s3://findings-bucket/manifests/{launching}.json", launched);
        Assert.HasCount(1, _notifier.Completions);
    }

    [TestMethod]
    public async Task TryCompleteAsync_FinishedExport_ManifestIsJsonWithEveryRegionAndTheAccountTally()
    {
        const string wide = "20261123T180000Z-0000a1de";
        var accounts = new Dictionary<string, string[]>
        {
            ["100000000001"] = ["eu-west-1", "us-east-1"],
            ["100000000002"] = ["eu-west-1", "us-east-1"],
            ["100000000003"] = ["eu-west-1", "us-east-1"],
            ["100000000004"] = [LaunchRegions.All],
            ["100000000005"] = ["eu-west-1", "us-east-1", "ap-southeast-2"],
        };
        await Exports.SeedAsync(_ledger, wide, Start, accounts, TestContext.CancellationToken, shards: 8);
        RegionExportEvent[] results =
        [
            Ok("100000000001", "eu-west-1", 10), Ok("100000000001", "us-east-1", 20),
            Ok("100000000002", "eu-west-1", 30), Failed("100000000002", "us-east-1", "AccessDeniedException: SCP"),
            NotEnabled("100000000003", "eu-west-1"), NotEnabled("100000000003", "us-east-1"),
            Ok("100000000005", "eu-west-1", 1), Ok("100000000005", "us-east-1", 2), NotEnabled("100000000005", "ap-southeast-2"),
        ];
        foreach (var result in results)
        {
            await _coordinator.HandleAsync(result with { ExportId = wide }, TestContext.CancellationToken);
        }

        _time.Advance(TimeSpan.FromMinutes(90));
        await _ledger.RecordLaunchAsync(wide, "100000000004", null, "cannot assume the trigger role", _time.GetUtcNow(), TestContext.CancellationToken);
        await _coordinator.HandleLaunchFailureAsync(wide, "100000000004", [LaunchRegions.All], 0, "cannot assume the trigger role", TestContext.CancellationToken);

        var (exportId, json) = _manifests.Writes.Single();
        using var manifest = JsonDocument.Parse(json);
        var root = manifest.RootElement;
        var summary = root.GetProperty("summary");
        var regions = root.GetProperty("regions").EnumerateArray().ToList();
        var tally = root.GetProperty("accountTally");

        Assert.AreEqual(wide, exportId);
        Assert.AreEqual(wide, summary.GetProperty("exportId").GetString());
        Assert.AreEqual(ExportState.CompleteWithFailures, summary.GetProperty("state").GetString());
        Assert.AreEqual(Start, summary.GetProperty("startedAt").GetDateTimeOffset());
        Assert.AreEqual(Start.AddMinutes(90), summary.GetProperty("completedAt").GetDateTimeOffset());
        Assert.AreEqual(5400, summary.GetProperty("durationSeconds").GetDouble());
        Assert.AreEqual(63, summary.GetProperty("totals").GetProperty("findings").GetInt64());
        Assert.AreEqual(10, summary.GetProperty("totals").GetProperty("regionsExpected").GetInt64());
        Assert.AreEqual(1, summary.GetProperty("failuresByKind").GetProperty(FailureKinds.AccessDenied).GetInt64());
        Assert.AreEqual(1, summary.GetProperty("failuresByKind").GetProperty(FailureKinds.LaunchFailed).GetInt64());
        Assert.AreEqual(5, root.GetProperty("accounts").GetArrayLength());
        CollectionAssert.AreEqual(
            new[] { "100000000004" },
            root.GetProperty("accounts").EnumerateArray().Where(a => a.GetProperty("launch").GetString() == AccountLaunchStatus.Failed).Select(a => a.GetProperty("accountId").GetString()).ToArray());
        CollectionAssert.AreEquivalent(
            accounts.SelectMany(a => a.Value.Select(r => $"{a.Key} {r}")).ToArray(),
            regions.Select(r => $"{r.GetProperty("accountId").GetString()} {r.GetProperty("region").GetString()}").ToArray());
        Assert.IsTrue(regions.All(r => r.GetProperty("status").GetString() != RegionExportStatus.Pending));
        Assert.AreEqual(20, regions.Single(r => r.GetProperty("accountId").GetString() == "100000000001" && r.GetProperty("region").GetString() == "us-east-1").GetProperty("findings").GetInt64());
        Assert.AreEqual(2, tally.GetProperty("complete").GetInt64(), "accounts 1 and 5");
        Assert.AreEqual(2, tally.GetProperty("failed").GetInt64(), "account 2 (a Region) and account 4 (not started)");
        Assert.AreEqual(1, tally.GetProperty("notEnabled").GetInt64(), "account 3");
        StringAssert.Contains(_notifier.Completions.Single().Body, "Accounts:           2 complete, 2 failed, 1 not enabled (of 5)");
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

        var summary = await SummaryAsync();
        Assert.AreEqual(4, outcomes.Count(o => o == RecordOutcome.Applied));
        Assert.AreEqual(4, outcomes.Count(o => o == RecordOutcome.AlreadyTerminal));
        Assert.AreEqual(360, summary.Totals.Findings);
        Assert.HasCount(1, _manifests.Writes);
        Assert.HasCount(1, _notifier.Completions);
    }

    [TestMethod]
    public async Task HandleAsync_LateCompleteAfterRealFailure_FailureStandsNoPartitionAndMailedOnce()
    {
        await _coordinator.HandleAsync(Failed(A, "eu-west-1", "InternalException: try later"), TestContext.CancellationToken);

        var late = await _coordinator.HandleAsync(Ok(A, "eu-west-1", 500), TestContext.CancellationToken);
        var again = await _coordinator.HandleAsync(Failed(A, "eu-west-1", "InternalException: try later"), TestContext.CancellationToken);
        var region = (await _ledger.GetAccountRegionsAsync(ExportId, A, TestContext.CancellationToken)).Single(r => r.Region == "eu-west-1");

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, late.Recorded);
        Assert.AreEqual(RecordOutcome.AlreadyTerminal, again.Recorded);
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.AreEqual(0, region.Findings);
        Assert.HasCount(1, _notifier.Messages, "the failure is mailed once, the repeated and late events not at all");
        Assert.IsEmpty(_partitions.Registered);
    }

    [TestMethod]
    public async Task HandleAsync_FailedRegion_MailedAtOnceWithItsKindReasonAndRetryCommand()
    {
        var outcome = await _coordinator.HandleAsync(Failed(B, "us-east-1", "AccessDeniedException: not authorized to perform securityhub:GetFindings"), TestContext.CancellationToken);

        var region = (await _ledger.GetAccountRegionsAsync(ExportId, B, TestContext.CancellationToken)).Single(r => r.Region == "us-east-1");
        var (subject, body) = _notifier.Failures.Single();
        Assert.AreEqual(RecordOutcome.Applied, outcome.Recorded);
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.AreEqual(FailureKinds.AccessDenied, region.FailureKind);
        Assert.AreEqual($"SecHubFanout export {ExportId}: Region us-east-1 of account {B} failed", subject);
        StringAssert.Contains(body, "(denied access (for example by a service control policy))");
        StringAssert.Contains(body, "Reason: AccessDeniedException: not authorized to perform securityhub:GetFindings");
        StringAssert.Contains(body, $"sechub-fanout start --export-id {ExportId} --accounts {B}");
    }

    [TestMethod]
    public async Task HandleLaunchFailureAsync_AccountNotStarted_AllItsRegionsFailedAsLaunchFailedAndMailed()
    {
        const string reason = "could not start the exporter in account 222222222222: cannot assume arn:aws:iam::222222222222:role/SecHubFanoutTrigger";

        var outcome = await _coordinator.HandleLaunchFailureAsync(ExportId, B, Regions, 0, reason, TestContext.CancellationToken);

        var regionsOfB = await _ledger.GetAccountRegionsAsync(ExportId, B, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken);
        Assert.AreEqual(RecordOutcome.Applied, outcome.Recorded);
        Assert.IsFalse(outcome.CompletedExport);
        Assert.IsTrue(regionsOfB.All(r => r.Status == RegionExportStatus.Failed && r.Error == reason && r.FailureKind == FailureKinds.LaunchFailed));
        Assert.AreEqual(2, counters.FailedByKind[FailureKinds.LaunchFailed]);
        Assert.HasCount(2, _notifier.Failures, "one immediate email per failed Region, within the export's first few");
        var (subject, body) = _notifier.Failures[0];
        StringAssert.EndsWith(subject, $"of account {B} failed");
        StringAssert.Contains(body, "(could not be started)");
        StringAssert.Contains(body, "Reason: " + reason);
        StringAssert.Contains(body, $"sechub-fanout status {ExportId}");
    }

    [TestMethod]
    public async Task HandleLaunchFailureAsync_Repeated_MailedOnce()
    {
        await _coordinator.HandleLaunchFailureAsync(ExportId, B, ["eu-west-1"], 0, "denied", TestContext.CancellationToken);

        var again = await _coordinator.HandleLaunchFailureAsync(ExportId, B, ["eu-west-1"], 0, "denied", TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, again.Recorded);
        Assert.HasCount(1, _notifier.Failures);
    }

    [TestMethod]
    public async Task HandleAsync_FailureThenLaunchFailureToTheEnd_FailuresMailedThenOneSummaryListingThem()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 10), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Failed(A, "us-east-1", "InternalException: boom"), TestContext.CancellationToken);

        var last = await _coordinator.HandleLaunchFailureAsync(ExportId, B, Regions, 0, "denied", TestContext.CancellationToken);

        Assert.IsTrue(last.CompletedExport);
        Assert.HasCount(4, _notifier.Messages);
        Assert.HasCount(3, _notifier.Failures);
        Assert.HasCount(1, _notifier.Completions);
        Assert.AreEqual(_notifier.Completions[0], _notifier.Messages.Last(), "the summary comes last");
        StringAssert.Contains(_notifier.Completions[0].Body, $"{A} us-east-1: InternalException: boom");
        StringAssert.Contains(_notifier.Completions[0].Body, $"{B} eu-west-1: denied");
        StringAssert.Contains(_notifier.Completions[0].Body, $"--accounts {A},{B}");
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
        StringAssert.Contains(body, "        1  failed with another error (error)");
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
        Assert.HasCount(1, _manifests.Writes);
        Assert.HasCount(1, _notifier.Completions);
    }

    [TestMethod]
    public async Task HandleAsync_FiftyAccountsThreeRegionsShuffledFromEightContainersWithDuplicates_OneCompletionAndCountersMatchItems()
    {
        // Arrange: 50 accounts x 3 Regions over 8 shards; 5% of the results delivered twice, all shuffled, then handled by 8
        // coordinators with a ledger each (8 Lambda containers) at once.
        const string big = "20261123T180000Z-00b1900d";
        var random = new Random(7);
        var accounts = Enumerable.Range(0, 50).Select(i => (300_000_000_000 + (i * 7_919)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        string[] regions = ["eu-west-1", "us-east-1", "ap-southeast-2"];
        await Exports.SeedAsync(_ledger, big, Start, accounts.ToDictionary(a => a, _ => regions), TestContext.CancellationToken, shards: 8);
        var results = accounts.SelectMany(a => regions.Select(r => random.Next(10) switch
        {
            0 => NotEnabled(a, r),
            1 => Failed(a, r, "InternalException: boom"),
            _ => Ok(a, r, random.Next(1, 5_000)),
        } with { ExportId = big })).ToList();
        var deliveries = results.Concat(results.OrderBy(_ => random.Next()).Take(results.Count / 20)).OrderBy(_ => random.Next()).ToList();
        var containers = Enumerable.Range(0, 8).Select(_ => new DynamoDbLedger(SharedLedger.Fixture.Client, _table)).ToList();
        var queue = new System.Collections.Concurrent.ConcurrentQueue<RegionExportEvent>(deliveries);

        // Act: the 8 containers, and a reconciler-like caller trying to complete the export all the while.
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<RegionResultOutcome>();
        var workers = containers.Select(ledger => Task.Run(async () =>
        {
            var coordinator = Coordinator(ledger);
            while (queue.TryDequeue(out var result))
            {
                outcomes.Add(await coordinator.HandleAsync(result, TestContext.CancellationToken));
            }
        })).ToList();
        var sweeper = Coordinator(new DynamoDbLedger(SharedLedger.Fixture.Client, _table));
        var swept = 0;
        while (!workers.All(w => w.IsCompleted))
        {
            swept += await sweeper.TryCompleteAsync(big, TestContext.CancellationToken) is null ? 0 : 1;
            await Task.Delay(20, TestContext.CancellationToken);
        }

        await Task.WhenAll(workers);
        swept += await sweeper.TryCompleteAsync(big, TestContext.CancellationToken) is null ? 0 : 1;

        // Assert
        var counters = await Exports.CountersAsync(_ledger, big, TestContext.CancellationToken);
        var items = await Exports.RegionsAsync(_ledger, big, TestContext.CancellationToken);
        var completions = _notifier.Completions.Where(m => m.Subject.Contains(big, StringComparison.Ordinal)).ToList();
        var itemsRead = containers.Sum(l => l.Usage.ItemsRead);
        Assert.HasCount(1, completions, string.Join(" | ", _notifier.Messages.Select(m => m.Subject)));
        Assert.AreEqual(1, outcomes.Count(o => o.CompletedExport) + swept, "one completion, whoever claims it");
        Assert.AreEqual(150, outcomes.Count(o => o.Recorded == RecordOutcome.Applied));
        Assert.AreEqual(deliveries.Count - 150, outcomes.Count(o => o.Recorded == RecordOutcome.AlreadyTerminal));
        Assert.HasCount(150, items);
        Assert.AreEqual(150, counters.Expected);
        Assert.AreEqual(items.Count(r => r.IsTerminal), counters.Terminal);
        Assert.AreEqual(items.Count(r => r.Status == RegionExportStatus.Complete), counters.Complete);
        Assert.AreEqual(items.Count(r => r.Status == RegionExportStatus.NotEnabled), counters.NotEnabled);
        Assert.AreEqual(items.Count(r => r.Status == RegionExportStatus.Failed), counters.Failed);
        Assert.AreEqual(items.Sum(r => r.Findings), counters.Findings);
        Assert.AreEqual(results.Sum(r => r.Findings), counters.Findings);
        Assert.AreEqual(50, counters.Accounts);
        // The containers' reads: with 8 shards each shard's last result reads 8 counters; the manifest's reads count here unless the sweeper completed.
        TestContext.WriteLine($"{itemsRead} items read for {deliveries.Count} results ({(double)itemsRead / deliveries.Count:0.00} per result); {swept} completion(s) by the sweeper");
        Assert.IsLessThanOrEqualTo(5.0, (double)itemsRead / deliveries.Count, $"{itemsRead} items read for {deliveries.Count} results");
    }

    [TestMethod]
    public async Task HandleAsync_FortyRegionsDeniedThenReconcilerThenTheRest_ThreeImmediateMailsOneDigestAndCompletionByKind()
    {
        // Arrange: 10 accounts x 4 Regions all denied, and one more account still running.
        const string denied = "20261123T180000Z-00de0ed0";
        string[] regions = ["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2"];
        var accounts = Enumerable.Range(1, 10).Select(i => $"4000000000{i:00}").ToList();
        var plan = accounts.ToDictionary(a => a, _ => regions);
        plan["499999999999"] = ["eu-west-1"];
        await Exports.SeedAsync(_ledger, denied, Start, plan, TestContext.CancellationToken, shards: 4);
        var reconciler = new ExportReconciler(_ledger, _coordinator, new ReconcilerOptions(), _time);

        // Act
        foreach (var account in accounts)
        {
            foreach (var region in regions)
            {
                await _coordinator.HandleAsync(Failed(account, region, "AccessDeniedException: User is not authorized to perform: securityhub:GetFindings with an explicit deny in a service control policy") with { ExportId = denied }, TestContext.CancellationToken);
            }
        }

        var immediate = _notifier.Failures.Count;
        _time.Advance(TimeSpan.FromMinutes(1));
        var first = await reconciler.RunAsync(TestContext.CancellationToken);
        var second = await reconciler.RunAsync(TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok("499999999999", "eu-west-1", 12) with { ExportId = denied }, TestContext.CancellationToken);

        // Assert
        Assert.AreEqual(ExportMessages.ImmediateFailureMails, immediate);
        Assert.HasCount(ExportMessages.ImmediateFailureMails, _notifier.Failures, "no immediate email after the first few");
        Assert.AreEqual(1, first.Digests);
        Assert.AreEqual(0, second.Digests, "one digest per period, and nothing new to report");
        var (digestSubject, digestBody) = _notifier.Digests.Single();
        Assert.AreEqual($"SecHubFanout export {denied}: 37 more account-Regions failed (40 in all)", digestSubject);
        StringAssert.Contains(digestBody, "       40  denied access (for example by a service control policy) (access-denied)");
        StringAssert.Contains(digestBody, "1 pending (of 41)");
        var (subject, body) = _notifier.Completions.Single();
        StringAssert.Contains(subject, "10 of 11 accounts failed");
        StringAssert.Contains(body, "Failed account-Regions by kind:");
        StringAssert.Contains(body, "       40  denied access (for example by a service control policy) (access-denied)");
        StringAssert.Contains(body, "The first 20 of them:");
        Assert.AreEqual(ExportMessages.ImmediateFailureMails + 2, _notifier.Messages.Count);
    }

    [TestMethod]
    public async Task HandleAsync_ManifestStoreFailsOnce_ClaimReleasedAndTheReconcilerCompletes()
    {
        await _coordinator.HandleAsync(Ok(A, "eu-west-1", 1), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(A, "us-east-1", 1), TestContext.CancellationToken);
        await _coordinator.HandleAsync(Ok(B, "eu-west-1", 1), TestContext.CancellationToken);
        _manifests.FailNext(1);

        await Assert.ThrowsExactlyAsync<IOException>(() => _coordinator.HandleAsync(Ok(B, "us-east-1", 1), TestContext.CancellationToken));
        var released = await _ledger.GetExportAsync(ExportId, TestContext.CancellationToken);
        var open = await _ledger.ListOpenExportsAsync(TestContext.CancellationToken);
        var redelivered = await _coordinator.HandleAsync(Ok(B, "us-east-1", 1), TestContext.CancellationToken);
        var pass = await new ExportReconciler(_ledger, _coordinator, new ReconcilerOptions(), _time).RunAsync(TestContext.CancellationToken);

        Assert.IsFalse(released!.IsCompleted, "the claim is given back when the manifest cannot be written");
        CollectionAssert.AreEqual(new[] { ExportId }, open.ToArray());
        Assert.AreEqual(RecordOutcome.AlreadyTerminal, redelivered.Recorded);
        Assert.AreEqual(1, pass.Completed);
        Assert.HasCount(1, _manifests.Writes);
        Assert.HasCount(1, _notifier.Completions);
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
        var counters = await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.NotExpected, outcome.Recorded);
        Assert.HasCount(4, await Exports.RegionsAsync(_ledger, ExportId, TestContext.CancellationToken));
        Assert.AreEqual(0, counters.Terminal);
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

    private ExportCoordinator Coordinator(ILedger ledger) =>
        new(
            ledger,
            _notifier,
            _manifests,
            _partitions,
            new CoordinatorOptions { FindingsBucket = "findings-bucket", GlueDatabase = "sechub_fanout", GlueTable = "findings", AthenaWorkgroup = "sechub-fanout" },
            _time);

    private async Task<ExportSummary> SummaryAsync()
    {
        var export = (await _ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!;
        return ExportSummary.From(export, await _ledger.GetCountersAsync(export, TestContext.CancellationToken));
    }

    private static RegionExportEvent Ok(string account, string region, long findings, long bytes = 0) =>
        new(ExportId, account, region, RegionExportStatus.Complete, findings, Pages: (findings / 100) + 1, Parts: (findings / 50_000) + 1, Bytes: bytes == 0 ? findings * 900 : bytes, DurationMs: 60_000);

    private static RegionExportEvent NotEnabled(string account, string region) =>
        new(ExportId, account, region, RegionExportStatus.NotEnabled, Error: "Security Hub is not enabled");

    private static RegionExportEvent Failed(string account, string region, string error) =>
        new(ExportId, account, region, RegionExportStatus.Failed, Error: error);
}
