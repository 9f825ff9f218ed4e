using System.Globalization;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Ledger;

[TestClass]
public sealed class DynamoDbLedgerTests
{
    private const string ExportId = "20261123T180000Z-0a1b2c3d";
    private const string Account = "111111111111";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task CreateExportAsync_SameIdTwice_SecondReturnsFalseAndKeepsFirst()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var first = new ExportRecord(ExportId, Start, Start, ["eu-west-1"], "{\"RecordState\":[]}", Start.AddDays(-7), Shards: 16);

        var created = await ledger.CreateExportAsync(first, TestContext.CancellationToken);
        var again = await ledger.CreateExportAsync(first with { Regions = ["us-east-1"], Shards = 2 }, TestContext.CancellationToken);
        var read = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.IsTrue(created);
        Assert.IsFalse(again);
        Assert.IsNotNull(read);
        CollectionAssert.AreEqual(new[] { "eu-west-1" }, read.Regions.ToArray());
        Assert.AreEqual(first.FiltersJson, read.FiltersJson);
        Assert.AreEqual(first.Since, read.Since);
        Assert.AreEqual(Start, read.StartedAt);
        Assert.AreEqual(16, read.Shards);
        Assert.IsNull(read.LaunchedAt);
        Assert.IsFalse(read.IsCompleted);
        CollectionAssert.AreEqual(new[] { ExportId }, (await ledger.ListOpenExportsAsync(TestContext.CancellationToken)).ToArray());
    }

    [TestMethod]
    public async Task AdvanceWatermarkAsync_OlderOrRepeatedEnd_NeverMovesBackAndStaysPerAccountAndRegion()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var later = Start.AddDays(1);

        await ledger.AdvanceWatermarkAsync(Account, "eu-west-1", Start, ExportId, TestContext.CancellationToken);
        await ledger.AdvanceWatermarkAsync(Account, "eu-west-1", later, "20261124T180000Z-0a1b2c3e", TestContext.CancellationToken);
        await ledger.AdvanceWatermarkAsync(Account, "eu-west-1", Start, ExportId, TestContext.CancellationToken);
        await ledger.AdvanceWatermarkAsync(Account, "us-east-1", Start.AddMilliseconds(1), ExportId, TestContext.CancellationToken);
        await ledger.AdvanceWatermarkAsync("222222222222", "eu-west-1", later.AddDays(1), ExportId, TestContext.CancellationToken);
        var watermarks = await ledger.GetWatermarksAsync(Account, TestContext.CancellationToken);
        var none = await ledger.GetWatermarksAsync("333333333333", TestContext.CancellationToken);

        Assert.AreEqual(later, watermarks.Of("eu-west-1"), "a late result of an older export does not move it back");
        Assert.AreEqual(Start.AddMilliseconds(1), watermarks.Of("us-east-1"));
        Assert.HasCount(2, watermarks.ByRegion, "only this account's Regions");
        Assert.IsEmpty(none.ByRegion);
    }

    [TestMethod]
    public async Task CreateExportAsync_Incremental_KeepsItsOverlap()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);

        await ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, [], null, null, Overlap: TimeSpan.FromMinutes(15)), TestContext.CancellationToken);
        var read = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(TimeSpan.FromMinutes(15), read!.Overlap);
        Assert.IsTrue(read.MovesWatermarks);
    }

    [TestMethod]
    public async Task GetExportAsync_UnknownExport_Null()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);

        var export = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.IsNull(export);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_PendingRegion_AppliedWithCounts()
    {
        var ledger = await ExpectedAsync(["eu-west-1", "us-east-1"]);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 1234), Start.AddMinutes(5), TestContext.CancellationToken);
        var regions = await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.Applied, outcome.Outcome);
        Assert.IsNotNull(outcome.Shard, "an applied result says what its shard's counters are now");
        Assert.AreEqual(1, outcome.Shard.Pending);
        var region = regions.Single(r => r.Region == "eu-west-1");
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(1234, region.Findings);
        Assert.AreEqual(7, region.Parts);
        Assert.AreEqual(Start.AddMinutes(5), region.FinishedAt);
        Assert.AreEqual(RegionExportStatus.Pending, regions.Single(r => r.Region == "us-east-1").Status);
        Assert.AreEqual(2, counters.Expected);
        Assert.AreEqual(1, counters.Terminal);
        Assert.AreEqual(1, counters.Complete);
        Assert.AreEqual(1234, counters.Findings);
        Assert.AreEqual(7, counters.Parts);
        Assert.AreEqual(1, counters.Accounts);
        Assert.AreEqual(Start.AddMinutes(5), counters.ChangedAt);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_RepeatedEvent_AlreadyTerminalAndNothingChanges()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 10), Start, TestContext.CancellationToken);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 99), Start.AddMinutes(1), TestContext.CancellationToken);
        var region = (await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken)).Single();
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, outcome.Outcome);
        Assert.AreEqual(10, region.Findings);
        Assert.AreEqual(Start, region.FinishedAt);
        Assert.AreEqual(1, counters.Terminal, "a repeated result is never counted twice");
        Assert.AreEqual(10, counters.Findings);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_CompleteAfterRealFailure_FailedStays()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "InternalException"), Start, TestContext.CancellationToken);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 5), Start, TestContext.CancellationToken);
        var region = (await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken)).Single();

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, outcome.Outcome);
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.AreEqual("InternalException", region.Error);
        Assert.AreEqual(FailureKinds.Error, region.FailureKind);
        Assert.AreEqual(0, region.Findings);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_UnexpectedRegion_NotExpectedAndNoItemCreated()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var outcome = await ledger.RecordRegionResultAsync(Result("ap-south-1", RegionExportStatus.Complete), Start, TestContext.CancellationToken);
        var regions = await Exports.RegionsAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.NotExpected, outcome.Outcome);
        Assert.HasCount(1, regions);
        Assert.AreEqual(0, (await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken)).Terminal);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_UnknownExport_NotExpected()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete) with { ExportId = "20250101T000000Z-00000000" }, Start, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.NotExpected, outcome.Outcome);
        Assert.IsNull(await ledger.GetExportAsync("20250101T000000Z-00000000", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task GetCountersAsync_OnePending_PendingOneThenZeroWhenItFinishes()
    {
        var ledger = await ExpectedAsync(["eu-west-1", "us-east-1", "us-west-2"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete), Start, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result("us-east-1", RegionExportStatus.NotEnabled), Start, TestContext.CancellationToken);

        var before = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result("us-west-2", RegionExportStatus.Failed, error: "AccessDeniedException: not authorized"), Start, TestContext.CancellationToken);
        var after = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, before.Pending);
        Assert.AreEqual(0, after.Pending);
        Assert.AreEqual(1, after.Complete);
        Assert.AreEqual(1, after.NotEnabled);
        Assert.AreEqual(1, after.Failed);
        Assert.AreEqual(1, after.FailedByKind[FailureKinds.AccessDenied]);
    }

    [TestMethod]
    public async Task GetCountersAsync_AccountsInManyShards_SumsEveryShard()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var accounts = Accounts(20);
        await Exports.SeedAsync(ledger, ExportId, Start, accounts.ToDictionary(a => a, _ => new[] { "eu-west-1", "us-east-1" }), TestContext.CancellationToken, shards: 8);
        foreach (var account in accounts.Take(5))
        {
            await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 3) with { AccountId = account }, Start, TestContext.CancellationToken);
        }

        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.IsGreaterThan(1, accounts.Select(a => DynamoDbLedger.ShardOf(a, 8)).Distinct().Count(), "the accounts land in several shards");
        Assert.AreEqual(40, counters.Expected);
        Assert.AreEqual(20, counters.Accounts);
        Assert.AreEqual(5, counters.Complete);
        Assert.AreEqual(15, counters.Findings);
        Assert.AreEqual(35, counters.Pending);
    }

    [TestMethod]
    public async Task ExpectAccountAsync_SixtyFourAccountsThirtyTwoShards_EachInItsShardAndNoShardOverFifteenPercent()
    {
        var (ledger, table) = await Exports.NewLedgerAsync(TestContext.CancellationToken);
        var accounts = Accounts(64);
        await Exports.SeedAsync(ledger, ExportId, Start, accounts.ToDictionary(a => a, _ => new[] { "eu-west-1", "us-east-1", "ap-southeast-2" }), TestContext.CancellationToken, shards: 32);

        var items = (await Exports.ScanAsync(table, TestContext.CancellationToken))
            .Where(i => i["sk"].S.StartsWith("ACCOUNT#", StringComparison.Ordinal) || i["sk"].S.StartsWith("REGION#", StringComparison.Ordinal))
            .ToList();
        var perPartition = items.GroupBy(i => i["pk"].S).ToDictionary(g => g.Key, g => g.Count());

        Assert.HasCount(64 * 4, items, "one account item and three Region items per account");
        foreach (var item in items)
        {
            Assert.AreEqual(Exports.ShardKey(ExportId, item["accountId"].S, 32), item["pk"].S, "an account's items live in the shard its ID hashes to");
        }

        var largest = perPartition.Values.Max();
        Assert.IsLessThanOrEqualTo(0.15 * items.Count, largest, $"the fullest partition holds {largest} of {items.Count} items");
        Assert.IsGreaterThanOrEqualTo(20, perPartition.Count, $"64 accounts spread over only {perPartition.Count} of 32 shards");
    }

    [TestMethod]
    public void ShardOf_SameAccount_SameShardAndInRange()
    {
        var accounts = Accounts(500);

        var shards = accounts.Select(a => DynamoDbLedger.ShardOf(a, 32)).ToList();

        Assert.IsTrue(shards.All(s => s is >= 0 and < 32));
        CollectionAssert.AreEqual(shards, accounts.Select(a => DynamoDbLedger.ShardOf(a, 32)).ToList(), "stable across calls (and processes: no randomized string hash)");
        Assert.AreEqual(0, DynamoDbLedger.ShardOf("111111111111", 1));
        Assert.AreEqual(32, shards.Distinct().Count());
    }

    [TestMethod]
    public async Task TryClaimCompletionAsync_ConcurrentClaims_ExactlyOneWinsAndTheExportLeavesTheOpenList()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => ledger.TryClaimCompletionAsync(ExportId, Start.AddSeconds(i), TestContext.CancellationToken)));
        var export = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, claims.Count(c => c));
        Assert.IsTrue(export!.IsCompleted);
        Assert.IsEmpty(await ledger.ListOpenExportsAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task ReleaseCompletionAsync_AfterClaim_AllowsAnotherClaimAndReopensTheExport()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.TryClaimCompletionAsync(ExportId, Start, TestContext.CancellationToken);

        await ledger.ReleaseCompletionAsync(ExportId, Start, TestContext.CancellationToken);
        var open = await ledger.ListOpenExportsAsync(TestContext.CancellationToken);
        var again = await ledger.TryClaimCompletionAsync(ExportId, Start.AddMinutes(1), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { ExportId }, open.ToArray());
        Assert.IsTrue(again);
        Assert.AreEqual(Start.AddMinutes(1), (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.CompletedAt);
    }

    [TestMethod]
    public async Task ReleaseCompletionAsync_SomeoneElsesClaim_LeavesItAlone()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.TryClaimCompletionAsync(ExportId, Start.AddMinutes(2), TestContext.CancellationToken);

        await ledger.ReleaseCompletionAsync(ExportId, Start, TestContext.CancellationToken);

        Assert.AreEqual(Start.AddMinutes(2), (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.CompletedAt);
        Assert.IsEmpty(await ledger.ListOpenExportsAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task ExpectAccountAsync_RepeatedWithoutRestart_FalseAndKeepsFinalStatesAndCounts()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 3), Start, TestContext.CancellationToken);

        var again = await ledger.ExpectAccountAsync(ExportId, Account, ["eu-west-1", "us-east-1"], Start, TestContext.CancellationToken);
        var region = (await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken)).Single();
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.IsFalse(again);
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(3, region.Findings);
        Assert.AreEqual(1, counters.Expected);
        Assert.AreEqual(1, counters.Accounts);
    }

    [TestMethod]
    public async Task RestartAccountAsync_FailedRegion_PendingAgainOutOfCountersAndFailuresAndReopenCountsRestart()
    {
        var ledger = await ExpectedAsync(["eu-west-1", "us-east-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result("us-east-1", RegionExportStatus.Complete, findings: 4), Start, TestContext.CancellationToken);
        await ledger.TryClaimCompletionAsync(ExportId, Start, TestContext.CancellationToken);

        var before = await ledger.RestartAccountAsync(ExportId, Account, 1, Start.AddHours(1), TestContext.CancellationToken);
        await ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken);
        var regions = await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken);
        var account = await ledger.GetAccountAsync(ExportId, Account, TestContext.CancellationToken);
        var export = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(Exports.ExecutionArn(Account, ExportId), before!.ExecutionArn, "the restart learns which execution it replaces");
        Assert.IsTrue(regions.All(r => r.Status == RegionExportStatus.Pending && r.Attempt == 1 && r.Error is null && r.Findings == 0));
        Assert.AreEqual(AccountLaunchStatus.Pending, account!.Launch);
        Assert.IsNull(account.ExecutionArn);
        Assert.AreEqual(1, account.Attempt);
        Assert.IsFalse(export!.IsCompleted);
        Assert.AreEqual(1, export.Restarts);
        CollectionAssert.AreEqual(new[] { ExportId }, (await ledger.ListOpenExportsAsync(TestContext.CancellationToken)).ToArray());
        Assert.AreEqual(2, counters.Expected);
        Assert.AreEqual(0, counters.Terminal);
        Assert.AreEqual(0, counters.Failed);
        Assert.AreEqual(0, counters.Findings);
        Assert.IsEmpty(await Exports.FailuresAsync(ledger, ExportId, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task RestartAccountAsync_AccountNotInExport_Null()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var before = await ledger.RestartAccountAsync(ExportId, "999999999999", 1, Start, TestContext.CancellationToken);

        Assert.IsNull(before);
        Assert.AreEqual(1, (await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken)).Expected);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_AfterRestart_IgnoresTheReplacedAttemptAndTakesTheNewOne()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        await ledger.RestartAccountAsync(ExportId, Account, 1, Start, TestContext.CancellationToken);
        await ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken);

        var late = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        var pendingAfterLate = (await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken)).Single().Status;
        var current = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 7) with { Attempt = 1 }, Start, TestContext.CancellationToken);
        var repeated = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 7) with { Attempt = 1 }, Start, TestContext.CancellationToken);
        var region = (await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken)).Single();
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.Superseded, late.Outcome, "a result of the replaced attempt (a late or redelivered event) changes nothing");
        Assert.AreEqual(RegionExportStatus.Pending, pendingAfterLate);
        Assert.AreEqual(RecordOutcome.Applied, current.Outcome);
        Assert.AreEqual(RecordOutcome.AlreadyTerminal, repeated.Outcome);
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(7, region.Findings);
        Assert.AreEqual(1, counters.Terminal);
        Assert.AreEqual(0, counters.Failed);
        Assert.AreEqual(7, counters.Findings);
    }

    [TestMethod]
    public async Task ReopenExportAsync_NumberAlreadyTaken_ThrowsSayingAnotherRestartRan()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken);

        var e = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "another restart of it took number 1");
        Assert.AreEqual(1, (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.Restarts);
    }

    [TestMethod]
    public async Task RecordLaunchAsync_FailedThenStarted_KeepsOnlyLatestAndCountsTheFailureOnce()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        await ledger.RecordLaunchAsync(ExportId, Account, null, "AccessDenied", Start, TestContext.CancellationToken);
        await ledger.RecordLaunchAsync(ExportId, Account, null, "AccessDenied", Start, TestContext.CancellationToken);
        var failed = await ledger.GetAccountAsync(ExportId, Account, TestContext.CancellationToken);
        var failedCount = (await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken)).AccountsLaunchFailed;
        await ledger.RecordLaunchAsync(ExportId, Account, "arn:aws:states:eu-west-1:111111111111:execution:x:y", null, Start, TestContext.CancellationToken);
        var started = await ledger.GetAccountAsync(ExportId, Account, TestContext.CancellationToken);

        Assert.AreEqual(AccountLaunchStatus.Failed, failed!.Launch);
        Assert.AreEqual("AccessDenied", failed.Error);
        Assert.AreEqual(1, failedCount);
        Assert.AreEqual(AccountLaunchStatus.Started, started!.Launch);
        Assert.IsNull(started.Error);
        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:execution:x:y", started.ExecutionArn);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_RealResultAfterPresumedFailure_ReplacesItCorrectsCountersAndLeavesTheFailuresIndex()
    {
        var ledger = await ExpectedAsync(["eu-west-1", "us-east-1"]);
        var presumed = Result("eu-west-1", RegionExportStatus.Failed, error: "the member execution ended FAILED before sending this Region's result") with { FailureKind = FailureKinds.ExecutionEnded };
        await ledger.RecordRegionResultAsync(presumed, Start, TestContext.CancellationToken);
        var failuresBefore = await Exports.FailuresAsync(ledger, ExportId, TestContext.CancellationToken);

        var real = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 42), Start.AddMinutes(3), TestContext.CancellationToken);
        var region = (await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken)).Single(r => r.Region == "eu-west-1");
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.HasCount(1, failuresBefore);
        Assert.AreEqual(RecordOutcome.Applied, real.Outcome);
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(42, region.Findings);
        Assert.IsNull(region.FailureKind);
        Assert.IsNull(region.Error);
        Assert.AreEqual(1, counters.Terminal);
        Assert.AreEqual(1, counters.Complete);
        Assert.AreEqual(0, counters.Failed);
        Assert.AreEqual(42, counters.Findings);
        Assert.AreEqual(0, counters.FailedByKind.GetValueOrDefault(FailureKinds.ExecutionEnded));
        Assert.IsEmpty(await Exports.FailuresAsync(ledger, ExportId, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_RealFailureAfterPresumedFailure_TakesTheRealKind()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "no result arrived") with { FailureKind = FailureKinds.Silent }, Start, TestContext.CancellationToken);

        var real = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "AccessDeniedException: denied by SCP"), Start, TestContext.CancellationToken);
        var again = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "no result arrived") with { FailureKind = FailureKinds.Silent }, Start, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);
        var failure = (await Exports.FailuresAsync(ledger, ExportId, TestContext.CancellationToken)).Single();

        Assert.AreEqual(RecordOutcome.Applied, real.Outcome);
        Assert.AreEqual(RecordOutcome.AlreadyTerminal, again.Outcome, "a presumed failure never replaces a real result");
        Assert.AreEqual(FailureKinds.AccessDenied, failure.FailureKind);
        Assert.AreEqual("AccessDeniedException: denied by SCP", failure.Error);
        Assert.AreEqual(1, counters.Failed);
        Assert.AreEqual(1, counters.Terminal);
        Assert.AreEqual(1, counters.FailedByKind[FailureKinds.AccessDenied]);
        Assert.AreEqual(0, counters.FailedByKind.GetValueOrDefault(FailureKinds.Silent));
    }

    [TestMethod]
    public async Task ListFailuresAsync_FiveFailuresPagesOfTwo_EveryFailureOnceInAccountThenRegionOrder()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await Exports.SeedAsync(ledger, ExportId, Start, new Dictionary<string, string[]> { ["333333333333"] = ["eu-west-1", "us-east-1"], [Account] = ["eu-west-1", "us-east-1", "us-west-2"] }, TestContext.CancellationToken, shards: 4);
        foreach (var (account, region) in new[] { (Account, "us-west-2"), ("333333333333", "us-east-1"), (Account, "eu-west-1"), ("333333333333", "eu-west-1"), (Account, "us-east-1") })
        {
            await ledger.RecordRegionResultAsync(Result(region, RegionExportStatus.Failed, error: "boom " + region) with { AccountId = account }, Start, TestContext.CancellationToken);
        }

        var pages = new List<FailurePage>();
        string? token = null;
        do
        {
            var page = await ledger.ListFailuresAsync(ExportId, token, 2, TestContext.CancellationToken);
            pages.Add(page);
            token = page.NextToken;
        }
        while (token is not null && pages.Count < 10);

        CollectionAssert.AreEqual(new[] { 2, 2, 1 }, pages.Select(p => p.Failures.Count).Take(3).ToArray());
        CollectionAssert.AreEqual(
            new[] { "111111111111 eu-west-1", "111111111111 us-east-1", "111111111111 us-west-2", "333333333333 eu-west-1", "333333333333 us-east-1" },
            pages.SelectMany(p => p.Failures).Select(f => $"{f.AccountId} {f.Region}").ToArray());
    }

    [TestMethod]
    public async Task ListFailuresAsync_GarbageToken_ArgumentExceptionSayingWhatToPass()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => ledger.ListFailuresAsync(ExportId, "not a token!", 2, TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "is not a page token");
    }

    [TestMethod]
    public async Task ListFailuresAsync_DecodableTokenOfNoFailure_ArgumentExceptionNotAServiceError()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        var token = Convert.ToBase64String("fpk=x\nfsk=y\npk=z\nsk=w"u8.ToArray());

        var e = await Assert.ThrowsExactlyAsync<ArgumentException>(() => ledger.ListFailuresAsync(ExportId, token, 2, TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "is not a page token");
    }

    [TestMethod]
    public async Task TryClaimImmediateFailureMailAsync_TwentyConcurrentClaims_OnlyTheLimitWin()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => ledger.TryClaimImmediateFailureMailAsync(ExportId, 3, TestContext.CancellationToken))));

        Assert.AreEqual(3, claims.Count(c => c));
        Assert.AreEqual(3, (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.FailuresMailed);
    }

    [TestMethod]
    public async Task TryClaimDigestAsync_ConcurrentClaimsOfTheSameFailures_OneWinsAndRecordsWhatItReported()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.TryClaimImmediateFailureMailAsync(ExportId, 3, TestContext.CancellationToken);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ledger.TryClaimDigestAsync(ExportId, 1, 40, Start.AddMinutes(5), TestContext.CancellationToken))));
        var stale = await ledger.TryClaimDigestAsync(ExportId, 1, 41, Start.AddMinutes(6), TestContext.CancellationToken);
        var export = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, claims.Count(c => c));
        Assert.IsFalse(stale, "a claim made from an old count loses");
        Assert.AreEqual(40, export!.FailuresMailed);
        Assert.AreEqual(Start.AddMinutes(5), export.LastDigestAt);
    }

    [TestMethod]
    public async Task RepairCountersAsync_CounterChangeLostAfterTheItemMoved_RecountsThatShardFromItsItems()
    {
        var (ledger, table) = await Exports.NewLedgerAsync(TestContext.CancellationToken);
        await Exports.SeedAsync(ledger, ExportId, Start, new Dictionary<string, string[]> { [Account] = ["eu-west-1", "us-east-1"] }, TestContext.CancellationToken, shards: 4);
        var complete = Result("eu-west-1", RegionExportStatus.Complete, findings: 900);
        await ledger.RecordRegionResultAsync(complete, Start, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result("us-east-1", RegionExportStatus.Failed, error: "AccessDenied") with { FailureKind = FailureKinds.AccessDenied }, Start, TestContext.CancellationToken);
        await Exports.LoseCounterAddAsync(table, 4, complete, TestContext.CancellationToken);
        var broken = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);
        var export = (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!;

        var tooSoon = await ledger.RepairCountersAsync(export, Start.AddMinutes(-15), Start.AddMinutes(1), TestContext.CancellationToken);
        var repaired = await ledger.RepairCountersAsync(export, Start.AddMinutes(1), Start.AddMinutes(16), TestContext.CancellationToken);
        var again = await ledger.RepairCountersAsync(export, Start.AddMinutes(20), Start.AddMinutes(35), TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, broken.Pending);
        Assert.AreEqual(0, tooSoon, "a shard whose counters changed after the quiet mark is left alone");
        Assert.AreEqual(1, repaired);
        Assert.AreEqual(0, again, "counters that match their items are not rewritten");
        Assert.AreEqual(0, counters.Pending);
        Assert.AreEqual(2, counters.Expected);
        Assert.AreEqual(1, counters.Complete);
        Assert.AreEqual(1, counters.Failed);
        Assert.AreEqual(900, counters.Findings);
        Assert.AreEqual(9, counters.Pages);
        Assert.AreEqual(14, counters.Parts, "both Regions' parts");
        Assert.AreEqual(1, counters.Accounts);
        Assert.AreEqual(1, counters.FailedByKind[FailureKinds.AccessDenied]);
    }

    [TestMethod]
    public async Task ReplaceAllRegionsAsync_StandInOfAnUnreachableAccount_RealRegionsPendingAndStandInGone()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await Exports.SeedAsync(ledger, ExportId, Start, new Dictionary<string, string[]> { [Account] = [LaunchRegions.All] }, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result(LaunchRegions.All, RegionExportStatus.Failed, error: "cannot assume") with { FailureKind = FailureKinds.LaunchFailed }, Start, TestContext.CancellationToken);
        await ledger.RestartAccountAsync(ExportId, Account, 1, Start, TestContext.CancellationToken);

        await ledger.ReplaceAllRegionsAsync(ExportId, Account, ["eu-west-1", "eu-north-1"], 1, Start, TestContext.CancellationToken);
        var regions = await ledger.GetAccountRegionsAsync(ExportId, Account, TestContext.CancellationToken);
        var account = await ledger.GetAccountAsync(ExportId, Account, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(ledger, ExportId, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "eu-north-1", "eu-west-1" }, regions.Select(r => r.Region).ToArray());
        Assert.IsTrue(regions.All(r => r.Status == RegionExportStatus.Pending && r.Attempt == 1));
        CollectionAssert.AreEqual(new[] { "eu-west-1", "eu-north-1" }, account!.Regions!.ToArray());
        Assert.AreEqual(2, counters.Expected);
        Assert.AreEqual(0, counters.Terminal);
        Assert.AreEqual(0, counters.FailedByKind.GetValueOrDefault(FailureKinds.LaunchFailed));
    }

    [TestMethod]
    public async Task MarkLaunchedAsync_Twice_KeepsTheFirstTime()
    {
        var ledger = await ExpectedAsync(["eu-west-1"], launched: false);

        await ledger.MarkLaunchedAsync(ExportId, Start.AddMinutes(1), TestContext.CancellationToken);
        await ledger.MarkLaunchedAsync(ExportId, Start.AddMinutes(2), TestContext.CancellationToken);

        Assert.AreEqual(Start.AddMinutes(1), (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.LaunchedAt);
    }

    private async Task<DynamoDbLedger> ExpectedAsync(string[] regions, bool launched = true)
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await Exports.SeedAsync(ledger, ExportId, Start, new Dictionary<string, string[]> { [Account] = regions }, TestContext.CancellationToken, launched: launched);
        return ledger;
    }

    /// <summary>Account IDs as organizations have them: 12 digits, not in sequence (seeded, so every run sees the same ones).</summary>
    private static List<string> Accounts(int count)
    {
        var random = new Random(20261123);
        return Enumerable.Range(0, count).Select(_ => random.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
    }

    private static RegionExportEvent Result(string region, string status, long findings = 0, string? error = null) =>
        new(ExportId, Account, region, status, findings, Pages: findings / 100, Parts: 7, Bytes: findings * 1000, DurationMs: 1500, Error: error);
}
