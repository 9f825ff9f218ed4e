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
        var first = new ExportRecord(ExportId, Start, Start, ["eu-west-1"], "{\"RecordState\":[]}", Start.AddDays(-7));

        var created = await ledger.CreateExportAsync(first, TestContext.CancellationToken);
        var again = await ledger.CreateExportAsync(first with { Regions = ["us-east-1"] }, TestContext.CancellationToken);
        var read = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.IsTrue(created);
        Assert.IsFalse(again);
        Assert.IsNotNull(read);
        CollectionAssert.AreEqual(new[] { "eu-west-1" }, read.Regions.ToArray());
        Assert.AreEqual(first.FiltersJson, read.FiltersJson);
        Assert.AreEqual(first.Since, read.Since);
        Assert.AreEqual(Start, read.StartedAt);
        Assert.IsFalse(read.IsCompleted);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_PendingRegion_AppliedWithCounts()
    {
        var ledger = await ExpectedAsync(["eu-west-1", "us-east-1"]);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 1234), Start.AddMinutes(5), TestContext.CancellationToken);
        var snapshot = await ledger.ReadAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.Applied, outcome);
        var region = snapshot!.Regions.Single(r => r.Region == "eu-west-1");
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(1234, region.Findings);
        Assert.AreEqual(7, region.Parts);
        Assert.AreEqual(Start.AddMinutes(5), region.FinishedAt);
        Assert.AreEqual(RegionExportStatus.Pending, snapshot.Regions.Single(r => r.Region == "us-east-1").Status);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_RepeatedEvent_AlreadyTerminalAndNothingChanges()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 10), Start, TestContext.CancellationToken);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 99), Start.AddMinutes(1), TestContext.CancellationToken);
        var region = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single();

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, outcome);
        Assert.AreEqual(10, region.Findings);
        Assert.AreEqual(Start, region.FinishedAt);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_CompleteAfterFailed_FailedStays()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "InternalException"), Start, TestContext.CancellationToken);

        var outcome = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 5), Start, TestContext.CancellationToken);
        var region = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single();

        Assert.AreEqual(RecordOutcome.AlreadyTerminal, outcome);
        Assert.AreEqual(RegionExportStatus.Failed, region.Status);
        Assert.AreEqual("InternalException", region.Error);
        Assert.AreEqual(0, region.Findings);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_UnexpectedRegion_NotExpectedAndNoItemCreated()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var outcome = await ledger.RecordRegionResultAsync(Result("ap-south-1", RegionExportStatus.Complete), Start, TestContext.CancellationToken);
        var snapshot = await ledger.ReadAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RecordOutcome.NotExpected, outcome);
        Assert.AreEqual(1, snapshot!.Regions.Count);
    }

    [TestMethod]
    public async Task AllRegionsTerminalAsync_OnePending_FalseThenTrueWhenItFinishes()
    {
        var ledger = await ExpectedAsync(["eu-west-1", "us-east-1", "us-west-2"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete), Start, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result("us-east-1", RegionExportStatus.NotEnabled), Start, TestContext.CancellationToken);

        var before = await ledger.AllRegionsTerminalAsync(ExportId, TestContext.CancellationToken);
        await ledger.RecordRegionResultAsync(Result("us-west-2", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        var after = await ledger.AllRegionsTerminalAsync(ExportId, TestContext.CancellationToken);

        Assert.IsFalse(before);
        Assert.IsTrue(after);
    }

    [TestMethod]
    public async Task TryClaimCompletionAsync_ConcurrentClaims_ExactlyOneWins()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => ledger.TryClaimCompletionAsync(ExportId, Start.AddSeconds(i), TestContext.CancellationToken)));
        var export = await ledger.GetExportAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(1, claims.Count(c => c));
        Assert.IsTrue(export!.IsCompleted);
    }

    [TestMethod]
    public async Task ReleaseCompletionAsync_AfterClaim_AllowsAnotherClaim()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.TryClaimCompletionAsync(ExportId, Start, TestContext.CancellationToken);

        await ledger.ReleaseCompletionAsync(ExportId, Start, TestContext.CancellationToken);
        var again = await ledger.TryClaimCompletionAsync(ExportId, Start.AddMinutes(1), TestContext.CancellationToken);

        Assert.IsTrue(again);
        Assert.AreEqual(Start.AddMinutes(1), (await ledger.GetExportAsync(ExportId, TestContext.CancellationToken))!.CompletedAt);
    }

    [TestMethod]
    public async Task ExpectAccountAsync_RepeatedWithoutRestart_KeepsFinalStates()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 3), Start, TestContext.CancellationToken);

        await ledger.ExpectAccountAsync(ExportId, Account, ["eu-west-1"], attempt: 0, Start, TestContext.CancellationToken);
        var region = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single();

        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(3, region.Findings);
    }

    [TestMethod]
    public async Task ExpectAccountAsync_Restart_ResetsToPendingAndReopenCountsRestart()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        await ledger.TryClaimCompletionAsync(ExportId, Start, TestContext.CancellationToken);

        await ledger.ExpectAccountAsync(ExportId, Account, ["eu-west-1"], attempt: 1, Start, TestContext.CancellationToken);
        await ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken);
        var snapshot = await ledger.ReadAsync(ExportId, TestContext.CancellationToken);

        Assert.AreEqual(RegionExportStatus.Pending, snapshot!.Regions.Single().Status);
        Assert.IsNull(snapshot.Regions.Single().Error);
        Assert.IsFalse(snapshot.Export.IsCompleted);
        Assert.AreEqual(1, snapshot.Export.Restarts);
    }

    [TestMethod]
    public async Task RecordRegionResultAsync_AfterRestart_IgnoresTheReplacedAttemptAndTakesTheNewOne()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        await ledger.ExpectAccountAsync(ExportId, Account, ["eu-west-1"], attempt: 1, Start, TestContext.CancellationToken);
        await ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken);

        var late = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Failed, error: "boom"), Start, TestContext.CancellationToken);
        var pendingAfterLate = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single().Status;
        var current = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 7) with { Attempt = 1 }, Start, TestContext.CancellationToken);
        var repeated = await ledger.RecordRegionResultAsync(Result("eu-west-1", RegionExportStatus.Complete, findings: 7) with { Attempt = 1 }, Start, TestContext.CancellationToken);
        var region = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single();

        Assert.AreEqual(RecordOutcome.Superseded, late, "a result of the replaced attempt (a late or redelivered event) changes nothing");
        Assert.AreEqual(RegionExportStatus.Pending, pendingAfterLate);
        Assert.AreEqual(RecordOutcome.Applied, current);
        Assert.AreEqual(RecordOutcome.AlreadyTerminal, repeated);
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(7, region.Findings);
    }

    [TestMethod]
    public async Task ReopenExportAsync_NumberAlreadyTaken_ThrowsSayingAnotherRestartRan()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);
        await ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken);

        var e = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => ledger.ReopenExportAsync(ExportId, 1, TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "another restart of it took number 1");
        Assert.AreEqual(1, (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Export.Restarts);
    }

    [TestMethod]
    public async Task RecordLaunchAsync_FailedThenStarted_KeepsOnlyLatest()
    {
        var ledger = await ExpectedAsync(["eu-west-1"]);

        await ledger.RecordLaunchAsync(ExportId, Account, null, "AccessDenied", Start, TestContext.CancellationToken);
        var failed = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Accounts.Single();
        await ledger.RecordLaunchAsync(ExportId, Account, "arn:aws:states:eu-west-1:111111111111:execution:x:y", null, Start, TestContext.CancellationToken);
        var started = (await ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Accounts.Single();

        Assert.AreEqual(AccountLaunchStatus.Failed, failed.Launch);
        Assert.AreEqual("AccessDenied", failed.Error);
        Assert.AreEqual(AccountLaunchStatus.Started, started.Launch);
        Assert.IsNull(started.Error);
        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:execution:x:y", started.ExecutionArn);
    }

    [TestMethod]
    public async Task ReadAsync_UnknownExport_Null()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);

        var snapshot = await ledger.ReadAsync(ExportId, TestContext.CancellationToken);

        Assert.IsNull(snapshot);
    }

    private async Task<DynamoDbLedger> ExpectedAsync(string[] regions)
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, regions, null, null), TestContext.CancellationToken);
        await ledger.ExpectAccountAsync(ExportId, Account, regions, attempt: 0, Start, TestContext.CancellationToken);
        return ledger;
    }

    private static RegionExportEvent Result(string region, string status, long findings = 0, string? error = null) =>
        new(ExportId, Account, region, status, findings, Pages: findings / 100, Parts: 7, Bytes: findings * 1000, DurationMs: 1500, Error: error);
}
