using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Functions;

/// <summary>The Coordinator Lambda's handler with EventBridge-shaped JSON in, over a real ledger (dynalite): the control plane's trust boundary.</summary>
[TestClass]
public sealed class CoordinatorFunctionTests
{
    private const string ExportId = "20261123T180000Z-0badcafe";
    private const string A = "111111111111";
    private const string B = "222222222222";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, long> NoKinds = [];

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingNotifier _notifier = new();
    private readonly MemoryManifestStore _manifests = new();
    private DynamoDbLedger _ledger = null!;
    private CoordinatorFunction _function = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        RefusedLines.Install();
        _ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await Exports.SeedAsync(_ledger, ExportId, Start, new Dictionary<string, string[]> { [A] = ["eu-west-1"], [B] = ["eu-west-1", "us-east-1"] }, TestContext.CancellationToken);
        var coordinator = new ExportCoordinator(_ledger, _notifier, _manifests, new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, _time);
        _function = new CoordinatorFunction(coordinator, _time);
    }

    [TestMethod]
    public async Task HandleAsync_EventBridgeEnvelopeWithFinalResult_AppliedAndCompleted()
    {
        await InvokeAsync(ResultEvent(B, Detail(B, "eu-west-1", RegionExportStatus.Complete, 1)));
        await InvokeAsync(ResultEvent(B, Detail(B, "us-east-1", RegionExportStatus.NotEnabled)));

        var output = await InvokeAsync(ResultEvent(A, "{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"complete\",\"findings\":42,\"pages\":1,\"parts\":1,\"bytes\":4200,\"throttles\":0,\"retries\":0,\"durationMs\":900}"));

        Assert.AreEqual("applied", output["outcome"]!.GetValue<string>());
        Assert.IsTrue(output["completedExport"]!.GetValue<bool>());
        Assert.AreEqual($"s3://findings-bucket/manifests/{ExportId}.json", output["manifestLocation"]!.GetValue<string>());
        Assert.AreEqual(42, (await _ledger.GetAccountRegionsAsync(ExportId, A, TestContext.CancellationToken)).Single().Findings);
        Assert.HasCount(1, _notifier.Completions);
    }

    [TestMethod]
    public async Task HandleAsync_SameEnvelopeTwice_SecondIsAlreadyTerminal()
    {
        var envelope = ResultEvent(A, "{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"not-enabled\",\"error\":\"Security Hub is not enabled\"}");

        var first = await InvokeAsync(envelope);
        var second = await InvokeAsync(envelope);

        Assert.AreEqual("applied", first["outcome"]!.GetValue<string>());
        Assert.AreEqual("already-terminal", second["outcome"]!.GetValue<string>());
        Assert.IsFalse(second["completedExport"]!.GetValue<bool>());
        Assert.AreEqual(1, (await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken)).NotEnabled);
    }

    [TestMethod]
    public async Task HandleAsync_ResultAboutAnotherAccount_RefusedNotStoredNotMailedAndOneMetricLine()
    {
        var before = await StateAsync();
        var id = EventId();

        // Account B sends a forged failure (and a forged success) about account A.
        var output = await InvokeAsync(ResultEvent(B, Detail(A, "eu-west-1", RegionExportStatus.Failed, error: "AccessDenied: forged"), id));
        var forgedSuccess = await InvokeAsync(ResultEvent(B, Detail(A, "eu-west-1", RegionExportStatus.Complete, 1_000_000)));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.StartsWith(output["error"]!.GetValue<string>(), "account-mismatch: account 222222222222 sent a result for account 111111111111");
        Assert.AreEqual("refused", forgedSuccess["outcome"]!.GetValue<string>());
        Assert.AreEqual(before, await StateAsync(), "neither the items nor the counters changed");
        Assert.IsEmpty(_notifier.Messages);
        Assert.IsEmpty(_manifests.Writes);
        var line = RefusedLines.For(id).Single();
        Assert.AreEqual("account-mismatch", line.GetProperty("Reason").GetString());
        Assert.AreEqual(1, line.GetProperty(RefusedEvents.MetricName).GetInt32());
        Assert.AreEqual(B, line.GetProperty("envelopeAccount").GetString());
        Assert.AreEqual(RefusedEvents.Namespace, line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
        Assert.AreEqual("Reason", line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions")[0][0].GetString());
        Assert.AreEqual(_time.GetUtcNow().ToUnixTimeMilliseconds(), line.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        StringAssert.Contains(line.GetProperty("detail").GetString(), "AccessDenied: forged");
    }

    [TestMethod]
    [DataRow("20250101T000000Z-00000000", "eu-west-1", DisplayName = "unknown export")]
    [DataRow(ExportId, "ap-south-1", DisplayName = "Region not expected of the account")]
    public async Task HandleAsync_ResultNobodyExpects_RefusedNotExpectedAndNothingStored(string exportId, string region)
    {
        var before = await StateAsync();
        var id = EventId();

        var output = await InvokeAsync(ResultEvent(A, Detail(A, region, RegionExportStatus.Complete, 5) with { ExportId = exportId }, id));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.StartsWith(output["error"]!.GetValue<string>(), "not-expected: ");
        Assert.AreEqual(before, await StateAsync());
        Assert.IsNull(await _ledger.GetExportAsync("20250101T000000Z-00000000", TestContext.CancellationToken), "no export item appears for an unknown ID");
        Assert.AreEqual("not-expected", RefusedLines.For(id).Single().GetProperty("Reason").GetString());
        Assert.IsEmpty(_notifier.Messages);
    }

    [TestMethod]
    public async Task HandleAsync_ResultOfAReplacedAttempt_RefusedSuperseded()
    {
        await _ledger.RestartAccountAsync(ExportId, A, 1, Start, TestContext.CancellationToken);
        var before = await StateAsync();
        var id = EventId();

        var output = await InvokeAsync(ResultEvent(A, Detail(A, "eu-west-1", RegionExportStatus.Complete, 5), id));
        var current = await InvokeAsync(ResultEvent(A, Detail(A, "eu-west-1", RegionExportStatus.Complete, 5) with { Attempt = 1 }));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.StartsWith(output["error"]!.GetValue<string>(), "superseded: attempt 0 of account 111111111111");
        Assert.AreEqual("superseded", RefusedLines.For(id).Single().GetProperty("Reason").GetString());
        Assert.AreEqual("applied", current["outcome"]!.GetValue<string>(), "the restart's own result counts");
        Assert.AreEqual(before.Counters.Terminal + 1, (await StateAsync()).Counters.Terminal);
    }

    [TestMethod]
    [DataRow("other.source", FanoutNames.RegionResultDetailType, DisplayName = "another source")]
    [DataRow(FanoutNames.EventSource, "Account Export Summary", DisplayName = "another detail-type")]
    [DataRow("aws.securityhub", "Security Hub Findings - Imported", DisplayName = "a Security Hub event")]
    public async Task HandleAsync_NotARegionResultOrExecutionStatus_RefusedForeign(string source, string detailType)
    {
        var before = await StateAsync();
        var id = EventId();

        var output = await InvokeAsync(ResultEvent(A, Detail(A, "eu-west-1", RegionExportStatus.Complete, 5), id, source, detailType));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.StartsWith(output["error"]!.GetValue<string>(), "foreign: ");
        Assert.AreEqual("foreign", RefusedLines.For(id).Single().GetProperty("Reason").GetString());
        Assert.AreEqual(before, await StateAsync());
    }

    [TestMethod]
    [DataRow("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"1111\",\"region\":\"eu-west-1\",\"status\":\"complete\"}", "accountId '1111'", DisplayName = "short account ID")]
    [DataRow("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"done\"}", "status 'done'", DisplayName = "unknown status")]
    [DataRow("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"complete\",\"attempt\":-1}", "attempt -1 is negative", DisplayName = "negative attempt")]
    [DataRow("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"complete\",\"findings\":\"many\"}", "not a Region result", DisplayName = "findings not a number")]
    [DataRow("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"status\":\"complete\"}", "region is missing", DisplayName = "no Region")]
    [DataRow("[1,2,3]", "no detail object", DisplayName = "detail is an array")]
    public async Task HandleAsync_MalformedDetail_RefusedMalformedWithTheReason(string detail, string reason)
    {
        var before = await StateAsync();
        var id = EventId();

        var output = await InvokeAsync(ResultEvent(A, detail, id));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.StartsWith(output["error"]!.GetValue<string>(), "malformed: ");
        StringAssert.Contains(output["error"]!.GetValue<string>(), reason);
        Assert.AreEqual("malformed", RefusedLines.For(id).Single().GetProperty("Reason").GetString());
        Assert.AreEqual(before, await StateAsync());
    }

    [TestMethod]
    [DataRow("not json", DisplayName = "not JSON")]
    [DataRow("{\"source\":\"sechub-fanout\",\"detail-type\":\"Region Export Result\",\"account\":\"111111111111\"}", DisplayName = "no detail")]
    [DataRow("", DisplayName = "empty input")]
    public async Task HandleAsync_NotAnEvent_RefusedMalformed(string input)
    {
        var output = await InvokeAsync(input);

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.StartsWith(output["error"]!.GetValue<string>(), "malformed: ");
    }

    [TestMethod]
    public async Task HandleAsync_FiveThousandCharacterErrorWithNewlinesAndControls_StoredBoundedAndMailedOnOneShortLine()
    {
        var error = new StringBuilder("AccessDeniedException: denied\r\nSubject: you are fired\n\u0007\u001b[31m\u202eevil\u0000");
        while (error.Length < 5_000)
        {
            error.Append("line of member text\n\t\u0001");
        }

        var output = await InvokeAsync(ResultEvent(B, Detail(B, "eu-west-1", RegionExportStatus.Failed, error: error.ToString()[..5_000])));
        var stored = (await _ledger.GetAccountRegionsAsync(ExportId, B, TestContext.CancellationToken)).Single(r => r.Region == "eu-west-1");
        var (subject, body) = _notifier.Failures.Single();
        var reason = body.Split('\n').Single(l => l.StartsWith("Reason: ", StringComparison.Ordinal));

        Assert.AreEqual("applied", output["outcome"]!.GetValue<string>());
        Assert.IsLessThanOrEqualTo(1_003, stored.Error!.Length, "the ledger keeps a bounded error");
        StringAssert.StartsWith(stored.Error, "AccessDeniedException: denied");
        Assert.AreEqual(FailureKinds.AccessDenied, stored.FailureKind);
        Assert.AreEqual($"SecHubFanout export {ExportId}: Region eu-west-1 of account {B} failed", subject);
        Assert.IsLessThanOrEqualTo("Reason: ".Length + 303, reason.Length, reason);
        StringAssert.StartsWith(reason, "Reason: AccessDeniedException: denied Subject: you are fired [31m");
        Assert.IsFalse(reason.Any(c => char.IsControl(c) || c == '\u202e'), "no control or direction characters reach the email");
        Assert.IsFalse(body.Split('\n').Any(l => l.StartsWith("Subject:", StringComparison.Ordinal)), "member text cannot start a line of its own");
    }

    [TestMethod]
    public async Task HandleAsync_RefusedEventWithAnEmojiAcrossTheLoggedBound_RefusedAndLogged()
    {
        var id = EventId();
        var error = "x" + string.Concat(Enumerable.Repeat("\U0001F600", 1_500));

        var output = await InvokeAsync(ResultEvent(B, Detail(A, "eu-west-1", RegionExportStatus.Failed, error: error), id));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        var logged = RefusedLines.For(id).Single().GetProperty("detail").GetString()!;
        Assert.IsLessThanOrEqualTo(2_003, logged.Length);
    }

    [TestMethod]
    public async Task HandleAsync_ExecutionFailed_PendingRegionsFailedAsExecutionEndedAndTheLastCompletesTheExport()
    {
        await InvokeAsync(ResultEvent(A, Detail(A, "eu-west-1", RegionExportStatus.Complete, 3)));
        await InvokeAsync(ResultEvent(B, Detail(B, "eu-west-1", RegionExportStatus.Complete, 4)));

        var output = await InvokeAsync(ExecutionEvent(B, "FAILED", B, Input(B, ["eu-west-1", "us-east-1"])));
        var regions = await _ledger.GetAccountRegionsAsync(ExportId, B, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken);

        Assert.AreEqual("applied", output["outcome"]!.GetValue<string>());
        Assert.IsTrue(output["completedExport"]!.GetValue<bool>());
        Assert.AreEqual(RegionExportStatus.Complete, regions.Single(r => r.Region == "eu-west-1").Status, "a Region that reported keeps its result");
        var ended = regions.Single(r => r.Region == "us-east-1");
        Assert.AreEqual(RegionExportStatus.Failed, ended.Status);
        Assert.AreEqual(FailureKinds.ExecutionEnded, ended.FailureKind);
        StringAssert.Contains(ended.Error, $"the member execution {ExecutionArn(B)} ended FAILED");
        StringAssert.Contains(ended.Error, "States.TaskFailed: Lambda.Unknown");
        Assert.AreEqual(1, counters.FailedByKind[FailureKinds.ExecutionEnded]);
        Assert.AreEqual(0, counters.Pending);
        StringAssert.Contains(_notifier.Completions.Single().Body, "member execution ended without a result (execution-ended)");
    }

    [TestMethod]
    public async Task HandleAsync_ExecutionTimedOutWithoutRegionsInItsInput_FailsThePendingRegionsOfThatAttempt()
    {
        await InvokeAsync(ResultEvent(B, Detail(B, "eu-west-1", RegionExportStatus.NotEnabled)));

        var output = await InvokeAsync(ExecutionEvent(B, "TIMED_OUT", B, Input(B, [])));
        var regions = await _ledger.GetAccountRegionsAsync(ExportId, B, TestContext.CancellationToken);

        Assert.AreEqual("applied", output["outcome"]!.GetValue<string>());
        Assert.AreEqual(RegionExportStatus.NotEnabled, regions.Single(r => r.Region == "eu-west-1").Status);
        Assert.AreEqual(FailureKinds.ExecutionEnded, regions.Single(r => r.Region == "us-east-1").FailureKind);
        Assert.AreEqual(RegionExportStatus.Pending, (await _ledger.GetAccountRegionsAsync(ExportId, A, TestContext.CancellationToken)).Single().Status, "another account is not touched");
    }

    [TestMethod]
    [DataRow("SUCCEEDED")]
    [DataRow("RUNNING")]
    public async Task HandleAsync_ExecutionStatusThatNeedsNothing_IgnoredAndNothingChanges(string status)
    {
        var before = await StateAsync();

        var output = await InvokeAsync(ExecutionEvent(B, status, B, Input(B, ["eu-west-1", "us-east-1"])));

        Assert.AreEqual("ignored", output["outcome"]!.GetValue<string>());
        Assert.AreEqual(before, await StateAsync());
    }

    [TestMethod]
    public async Task HandleAsync_ExecutionOfAnotherAccountThanTheSender_RefusedAndNothingChanges()
    {
        var before = await StateAsync();
        var id = EventId();

        // Account A forwards (or forges) a failed execution of account B to fail B's Regions.
        var output = await InvokeAsync(ExecutionEvent(A, "FAILED", B, Input(B, ["eu-west-1", "us-east-1"]), id));
        var inputOfAnother = await InvokeAsync(ExecutionEvent(A, "FAILED", A, Input(B, ["eu-west-1", "us-east-1"])));

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.Contains(output["error"]!.GetValue<string>(), $"belongs to account {B}, but account {A} sent the event");
        Assert.AreEqual("execution-mismatch", RefusedLines.For(id).Single().GetProperty("Reason").GetString());
        Assert.AreEqual("refused", inputOfAnother["outcome"]!.GetValue<string>());
        StringAssert.Contains(inputOfAnother["error"]!.GetValue<string>(), $"names account {B} in its input");
        Assert.AreEqual(before, await StateAsync());
        Assert.IsEmpty(_notifier.Messages);
    }

    [TestMethod]
    [DataRow("20250101T000000Z-00000000", "111111111111", DisplayName = "unknown export")]
    [DataRow(ExportId, "333333333333", DisplayName = "account not in the export")]
    public async Task HandleAsync_ExecutionEndedThatNoExportExpects_RefusedNotExpectedWhetherOrNotItsInputNamesRegions(string exportId, string account)
    {
        var before = await StateAsync();
        var withoutRegions = EventId();
        var withRegions = EventId();

        var bare = await InvokeAsync(ExecutionEvent(account, "FAILED", account, Input(account, []) with { ExportId = exportId }, withoutRegions));
        var named = await InvokeAsync(ExecutionEvent(account, "FAILED", account, Input(account, ["eu-west-1"]) with { ExportId = exportId }, withRegions));

        Assert.AreEqual("refused", bare["outcome"]!.GetValue<string>(), bare.ToJsonString());
        Assert.AreEqual("refused", named["outcome"]!.GetValue<string>(), named.ToJsonString());
        Assert.AreEqual("not-expected", RefusedLines.For(withoutRegions).Single().GetProperty("Reason").GetString());
        Assert.AreEqual("not-expected", RefusedLines.For(withRegions).Single().GetProperty("Reason").GetString());
        Assert.AreEqual(before, await StateAsync());
    }

    [TestMethod]
    public async Task HandleAsync_ExecutionEndedAfterEveryResultArrived_NothingPendingAndNotRefused()
    {
        await InvokeAsync(ResultEvent(B, Detail(B, "eu-west-1", RegionExportStatus.Complete, 1)));
        await InvokeAsync(ResultEvent(B, Detail(B, "us-east-1", RegionExportStatus.Complete, 1)));
        var id = EventId();

        var output = await InvokeAsync(ExecutionEvent(B, "FAILED", B, Input(B, []), id));

        Assert.AreEqual("nothing-pending", output["outcome"]!.GetValue<string>());
        Assert.IsEmpty(RefusedLines.For(id));
        Assert.AreEqual(0, (await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken)).Failed);
    }

    [TestMethod]
    public async Task HandleAsync_ExecutionOfAnotherStateMachine_Refused()
    {
        var id = EventId();
        var detail = JsonNode.Parse(ExecutionEvent(B, "FAILED", B, Input(B, ["eu-west-1"]), id))!;
        detail["detail"]!["executionArn"] = $"arn:aws:states:eu-west-1:{B}:execution:payroll:{ExportId}";

        var output = await InvokeAsync(detail.ToJsonString());

        Assert.AreEqual("refused", output["outcome"]!.GetValue<string>());
        StringAssert.Contains(output["error"]!.GetValue<string>(), "is not an execution of the sechub-fanout-exporter state machine");
        Assert.AreEqual("execution-mismatch", RefusedLines.For(id).Single().GetProperty("Reason").GetString());
    }

    [TestMethod]
    public async Task HandleAsync_RealResultAfterThePresumedFailure_ReplacesItCorrectsCountersAndLeavesTheFailuresIndex()
    {
        await InvokeAsync(ResultEvent(A, Detail(A, "eu-west-1", RegionExportStatus.Complete, 3)));
        await InvokeAsync(ResultEvent(B, Detail(B, "eu-west-1", RegionExportStatus.Complete, 4)));
        await InvokeAsync(ExecutionEvent(B, "FAILED", B, Input(B, ["eu-west-1", "us-east-1"])));
        var presumed = await Exports.FailuresAsync(_ledger, ExportId, TestContext.CancellationToken);

        var late = await InvokeAsync(ResultEvent(B, Detail(B, "us-east-1", RegionExportStatus.Complete, 500)));
        var region = (await _ledger.GetAccountRegionsAsync(ExportId, B, TestContext.CancellationToken)).Single(r => r.Region == "us-east-1");
        var counters = await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken);

        Assert.HasCount(1, presumed);
        Assert.AreEqual("applied", late["outcome"]!.GetValue<string>());
        Assert.AreEqual(RegionExportStatus.Complete, region.Status);
        Assert.AreEqual(500, region.Findings);
        Assert.IsNull(region.FailureKind);
        Assert.AreEqual(0, counters.Failed);
        Assert.AreEqual(3, counters.Complete);
        Assert.AreEqual(507, counters.Findings);
        Assert.AreEqual(0, counters.FailedByKind.GetValueOrDefault(FailureKinds.ExecutionEnded));
        Assert.IsEmpty(await Exports.FailuresAsync(_ledger, ExportId, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task HandleAsync_ReplacedAttemptsExecutionAborted_NothingChanges()
    {
        await _ledger.RestartAccountAsync(ExportId, B, 1, Start, TestContext.CancellationToken);
        var before = await StateAsync();

        // The restart stopped attempt 0's execution: Step Functions reports it ABORTED.
        var output = await InvokeAsync(ExecutionEvent(B, "ABORTED", B, Input(B, ["eu-west-1", "us-east-1"])));

        Assert.AreEqual("nothing-pending", output["outcome"]!.GetValue<string>());
        Assert.AreEqual(before, await StateAsync());
    }

    private static string EventId() => Guid.NewGuid().ToString();

    private static RegionExportEvent Detail(string account, string region, string status, long findings = 0, string? error = null) =>
        new(ExportId, account, region, status, findings, Pages: 1, Parts: 1, Bytes: findings * 100, DurationMs: 900, Error: error);

    private static MemberExecutionInput Input(string account, string[] regions) =>
        new(ExportId, account, regions, null, null, Start);

    private static string ExecutionArn(string account) => $"arn:aws:states:eu-west-1:{account}:execution:{FanoutNames.MemberStateMachine}:{ExportId}";

    private static string ResultEvent(string envelopeAccount, RegionExportEvent detail, string? id = null, string source = FanoutNames.EventSource, string detailType = FanoutNames.RegionResultDetailType) =>
        ResultEvent(envelopeAccount, JsonSerializer.Serialize(detail, OrchestrationJsonContext.Default.RegionExportEvent), id, source, detailType);

    private static string ResultEvent(string envelopeAccount, string detail, string? id = null, string source = FanoutNames.EventSource, string detailType = FanoutNames.RegionResultDetailType) =>
        "{\"version\":\"0\",\"id\":\"" + (id ?? EventId()) + "\",\"detail-type\":\"" + detailType + "\",\"source\":\"" + source + "\",\"account\":\"" + envelopeAccount +
        "\",\"time\":\"2026-11-23T18:05:00Z\",\"region\":\"eu-west-1\",\"resources\":[],\"detail\":" + detail + "}";

    /// <summary>A Step Functions "Execution Status Change" event as the member's forwarding rule delivers it to the central bus.</summary>
    private static string ExecutionEvent(string envelopeAccount, string status, string arnAccount, MemberExecutionInput input, string? id = null)
    {
        var arn = ExecutionArn(arnAccount);
        var ended = status is "FAILED" or "TIMED_OUT" or "ABORTED";
        var detail = new JsonObject
        {
            ["executionArn"] = arn,
            ["stateMachineArn"] = $"arn:aws:states:eu-west-1:{arnAccount}:stateMachine:{FanoutNames.MemberStateMachine}",
            ["name"] = ExportId,
            ["status"] = status,
            ["startDate"] = Start.ToUnixTimeMilliseconds(),
            ["stopDate"] = ended ? Start.AddHours(1).ToUnixTimeMilliseconds() : null,
            ["input"] = JsonSerializer.Serialize(input, OrchestrationJsonContext.Default.MemberExecutionInput),
            ["output"] = null,
            ["error"] = status == "FAILED" ? "States.TaskFailed" : null,
            ["cause"] = status == "FAILED" ? "Lambda.Unknown" : null,
        };
        var envelope = new JsonObject
        {
            ["version"] = "0",
            ["id"] = id ?? EventId(),
            ["detail-type"] = FanoutNames.ExecutionStatusDetailType,
            ["source"] = FanoutNames.ExecutionStatusSource,
            ["account"] = envelopeAccount,
            ["time"] = "2026-11-23T19:00:00Z",
            ["region"] = "eu-west-1",
            ["resources"] = new JsonArray(arn),
            ["detail"] = detail,
        };
        return envelope.ToJsonString();
    }

    /// <summary>Every Region item and the counters of the export, compared whole.</summary>
    private async Task<LedgerState> StateAsync()
    {
        var regions = await Exports.RegionsAsync(_ledger, ExportId, TestContext.CancellationToken);
        var counters = await Exports.CountersAsync(_ledger, ExportId, TestContext.CancellationToken);
        return new LedgerState(string.Join(" | ", regions.Select(r => r.ToString())), counters with { FailedByKind = NoKinds }, string.Join(",", counters.FailedByKind.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}")));
    }

    private async Task<JsonNode> InvokeAsync(string input)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        await using var output = await _function.HandleAsync(stream);
        return (await JsonNode.ParseAsync(output, cancellationToken: TestContext.CancellationToken))!;
    }

    private sealed record LedgerState(string Regions, ExportCounters Counters, string FailedByKind);
}
