using System.Text.Json.Nodes;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;
using static SecHubFanout.Cdk.Tests.StateMachineScenario;

namespace SecHubFanout.Cdk.Tests;

/// <summary>
/// The synthesized member state machine, executed in aws-local-stepfunctions with scripted exporter, PutEvents and StartExecution
/// answers: what each Region sends, what the exporter is re-sent after faults, and when a Region continues in a new execution.
/// </summary>
[TestClass]
public sealed class MemberStateMachineExecutionTests
{
    private const string ExportId = "20261202T170000Z-1a2b3c4d";
    private const string Account = "111122223333";
    private const string OwnArn = "arn:aws:states:eu-west-1:111122223333:stateMachine:" + FanoutNames.MemberStateMachine;
    private static readonly DateTimeOffset _started = new(2026, 12, 2, 17, 0, 1, TimeSpan.Zero);

    private static JsonObject _asl = null!;

    [ClassInitialize]
    public static void Synthesize(TestContext context)
    {
        var member = SynthesizedStacks.Member;
        _asl = AslDefinition.Resolve(member.Single("AWS::StepFunctions::StateMachine")["Properties"]!["DefinitionString"]!, member.Root["Parameters"]!.AsObject());
    }

    [TestMethod]
    public void Execute_ThreeRegionsLoopingOverInvocations_OneCompleteResultPerRegionWithItsRunningCounts()
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", 1, 1000)), Returns(InProgress("eu-west-1", 2, 2000)), Returns(Complete(2500))])
            .Exporter("us-east-1", [Returns(InProgress("us-east-1", 1, 700)), Returns(Complete(900))])
            .Exporter("ap-south-1", [Returns(Complete(42))]);

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1", "ap-south-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        foreach (var (region, invocations, findings) in new[] { ("eu-west-1", 3, 2500L), ("us-east-1", 2, 900L), ("ap-south-1", 1, 42L) })
        {
            var inputs = run.ExporterInputs(region);
            Assert.HasCount(invocations, inputs, region);
            Assert.IsTrue(inputs[0]["checkpoint"] is null && inputs[0]["counts"]!.AsObject().Count == 0, "a Region starts from nothing: " + inputs[0]);
            for (var i = 1; i < inputs.Count; i++)
            {
                // Each invocation gets the previous answer's checkpoint and running counts, and nothing of the answer besides.
                Assert.AreEqual(Checkpoint(region, i).ToJsonString(), inputs[i]["checkpoint"]!.ToJsonString(), region);
                Assert.AreEqual(Counts(region == "eu-west-1" ? 1000 * i : 700).ToJsonString(), inputs[i]["counts"]!.ToJsonString(), region);
                Assert.AreEqual(i, (int)inputs[i]["invocations"]!);
                Assert.IsNull(inputs[i]["result"], "the previous answer is not part of the next input");
            }

            var sent = run.SentResults(region).Single();
            Assert.AreEqual(RegionExportStatus.Complete, (string?)sent["status"]);
            Assert.AreEqual(findings, (long)sent["findings"]!);
            Assert.AreEqual(findings / 100, (long)sent["pages"]!, "every count is lifted into the result");
            Assert.AreEqual(findings * 1000, (long)sent["bytes"]!);
            Assert.AreEqual(ExportId, (string?)sent["exportId"]);
            Assert.AreEqual(Account, (string?)sent["accountId"]);
            Assert.AreEqual(0, (int)sent["attempt"]!);
            Assert.IsNull(sent["failureKind"]);
        }

        Assert.HasCount(3, run.PutEvents.Where(e => (string?)e["entry"]!["DetailType"] == FanoutNames.RegionResultDetailType).ToList(), "exactly one result per Region");
        Assert.IsTrue(run.PutEvents.All(e => (bool)e["accepted"]!));
        var summary = run.SentSummaries.Single();
        Assert.HasCount(3, summary["regions"]!.AsArray());
        Assert.AreEqual(summary.ToJsonString(), run.Output.ToJsonString(), "the execution's output is the account summary");
        Assert.IsEmpty(run.StartExecutions);
        var first = run.ExporterInputs("eu-west-1")[0];
        Assert.AreEqual("2026-12-02T17:00:01.000Z", (string?)first["executionStartTime"], "the exporter learns the execution's start from $$.Execution.StartTime");
        Assert.AreEqual(ExporterStateMachine.HandOverAfterSeconds, (int)first["handOverAfterSeconds"]!);
        Assert.AreEqual(Account, (string?)first["accountId"], "the exporter's account is the deployed account, not the caller's word");
        Assert.AreEqual("v1", (string?)first["api"], "an execution input without api pages GetFindings");
    }

    [TestMethod]
    [DataRow("Sandbox.Timedout")]
    [DataRow("Lambda.Unknown")]
    [DataRow("Runtime.ExitError")]
    [DataRow("States.Timeout")]
    [DataRow("States.TaskFailed")]
    public void Execute_CrashOnThirdInvocation_RetriedWithTheCheckpointOfTheSecondAndCompletes(string error)
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", 1, 1000)), Returns(InProgress("eu-west-1", 2, 2000)), Throws(error, "Task timed out after 900.00 seconds"), Returns(Complete(2600))])
            .Exporter("us-east-1", [Returns(Complete(10))]);

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1"), scenario);

        var inputs = run.ExporterInputs("eu-west-1");
        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        Assert.HasCount(4, inputs);
        Assert.AreEqual(Checkpoint("eu-west-1", 2).ToJsonString(), inputs[2]["checkpoint"]!.ToJsonString(), "the crashed invocation had the second answer's checkpoint");
        Assert.AreEqual(inputs[2].ToJsonString(), inputs[3].ToJsonString(), "the retry is sent exactly what the crashed invocation was: the last checkpoint, the last counts");
        Assert.AreEqual(1, run.Events.Count(e => (string?)e["type"] == "StateRetried" && (string?)e["state"] == "ExportPage"));
        var sent = run.SentResults("eu-west-1").Single();
        Assert.AreEqual(RegionExportStatus.Complete, (string?)sent["status"]);
        Assert.AreEqual(2600L, (long)sent["findings"]!);
        Assert.AreEqual(RegionExportStatus.Complete, (string?)run.SentResults("us-east-1").Single()["status"]);
    }

    [TestMethod]
    public void Execute_CrashOnEveryAttempt_OneFailedResultWithLastCountsSiblingsUnaffectedExecutionSucceeds()
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", 1, 1000)), Returns(InProgress("eu-west-1", 2, 2000))], then: Throws("Lambda.Unknown", "The function crashed"))
            .Exporter("us-east-1", [Returns(InProgress("us-east-1", 1, 300)), Returns(Complete(400))])
            .Exporter("eu-central-1", [Returns(Failed("AccessDeniedException: not authorized to perform securityhub:GetFindings", FailureKinds.AccessDenied, 0))]);

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1", "eu-central-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        var inputs = run.ExporterInputs("eu-west-1");
        Assert.HasCount(2 + 1 + ExporterStateMachine.CrashRetries, inputs, "two answers, then the crashed invocation and its retries");
        Assert.IsTrue(inputs.Skip(2).All(i => i["checkpoint"]!.ToJsonString() == Checkpoint("eu-west-1", 2).ToJsonString()), "every retry resumes from the last checkpoint");
        var failed = run.SentResults("eu-west-1").Single();
        Assert.AreEqual(RegionExportStatus.Failed, (string?)failed["status"]);
        Assert.AreEqual(FailureKinds.ExporterCrashed, (string?)failed["failureKind"]);
        Assert.AreEqual(2000L, (long)failed["findings"]!, "the counts of the last successful invocation: what the Region stored");
        Assert.AreEqual(20L, (long)failed["pages"]!);
        Assert.AreEqual("Lambda.Unknown: The function crashed", (string?)failed["error"]);
        Assert.HasCount(1, run.RegionResultEntries("eu-west-1"), "one result, never a second");
        Assert.AreEqual(400L, (long)run.SentResults("us-east-1").Single()["findings"]!);
        var denied = run.SentResults("eu-central-1").Single();
        Assert.AreEqual(RegionExportStatus.Failed, (string?)denied["status"]);
        Assert.AreEqual(FailureKinds.AccessDenied, (string?)denied["failureKind"], "the exporter's failure kind reaches the Region result");
        Assert.HasCount(3, run.SentSummaries.Single()["regions"]!.AsArray());
    }

    [TestMethod]
    [DataRow("EventBridge.FailedEntry")]
    [DataRow("EventBridge.ThrottlingException")]
    public void Execute_FirstPutEventsOfARegionFails_RetriedEachRegionSendsExactlyOneResult(string error)
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(Complete(5))])
            .Exporter("us-east-1", [Returns(InProgress("us-east-1", 1, 50)), Returns(Complete(60))])
            .Exporter("ap-south-1", [Returns(Complete(7))])
            .RegionResultSend("us-east-1", [Throws(error, "1 entry failed"), Returns(Accepted())]);

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1", "ap-south-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        var entries = run.RegionResultEntries("us-east-1");
        Assert.HasCount(2, entries);
        Assert.IsFalse((bool)entries[0]["accepted"]!);
        Assert.IsTrue((bool)entries[1]["accepted"]!);
        Assert.AreEqual(entries[0]["entry"]!.ToJsonString(), entries[1]["entry"]!.ToJsonString(), "the retry sends the same result");
        foreach (var region in new[] { "eu-west-1", "us-east-1", "ap-south-1" })
        {
            Assert.AreEqual(RegionExportStatus.Complete, (string?)run.SentResults(region).Single()["status"], region);
        }

        Assert.AreEqual(60L, (long)run.SentResults("us-east-1").Single()["findings"]!);
    }

    [TestMethod]
    public void Execute_PutEventsFailsForeverForOneRegion_RecordedUnsentSiblingsSentExecutionSucceeds()
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(Complete(5))])
            .Exporter("us-east-1", [Returns(InProgress("us-east-1", 1, 50)), Returns(Complete(60))])
            .Exporter("ap-south-1", [Returns(Complete(7))])
            .RegionResultSend("us-east-1", [], then: Throws("EventBridge.FailedEntry", "AccessDeniedException"));

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1", "ap-south-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        var entries = run.RegionResultEntries("us-east-1");
        Assert.HasCount(1 + ExporterStateMachine.SendRetries, entries);
        Assert.IsTrue(entries.All(e => !(bool)e["accepted"]! && e["entry"]!.ToJsonString() == entries[0]["entry"]!.ToJsonString()), "only the one result, retried");
        Assert.IsEmpty(run.SentResults("us-east-1"));
        Assert.HasCount(2, run.ExporterInputs("us-east-1"), "the Region is not exported again");
        Assert.AreEqual(5L, (long)run.SentResults("eu-west-1").Single()["findings"]!);
        Assert.AreEqual(7L, (long)run.SentResults("ap-south-1").Single()["findings"]!);
        var unsent = run.OutputRegion("us-east-1");
        Assert.AreEqual(RegionExportStatus.Complete, (string?)unsent["status"]);
        Assert.AreEqual("EventBridge.FailedEntry", (string?)unsent["sendError"]!["Error"]);
        Assert.AreEqual("us-east-1", (string?)run.SentSummaries.Single()["regions"]!.AsArray().Single(r => r!["sendError"] is not null)!["region"]);
    }

    [TestMethod]
    public void Execute_FailedResultCannotBeSent_NoOtherResultForThatRegion()
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", 1, 100))], then: Throws("Sandbox.Timedout"))
            .Exporter("us-east-1", [Returns(Complete(1))])
            .RegionResultSend("eu-west-1", [], then: Throws("EventBridge.FailedEntry"));

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        var entries = run.RegionResultEntries("eu-west-1");
        Assert.IsTrue(entries.All(e => (string?)e["entry"]!["Detail"]!["status"] == RegionExportStatus.Failed), "every attempt sends the one failed result");
        Assert.HasCount(1, entries.Select(e => e["entry"]!.ToJsonString()).Distinct().ToList());
        Assert.AreEqual(RegionExportStatus.Failed, (string?)run.OutputRegion("eu-west-1")["status"]);
        Assert.AreEqual(1L, (long)run.SentResults("us-east-1").Single()["findings"]!);
    }

    [TestMethod]
    public void Execute_SummaryCannotBeSent_ExecutionStillSucceedsWithTheSummaryAsOutput()
    {
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(Complete(3))])
            .Task("SendAccountSummary", null, [], then: Throws("EventBridge.FailedEntry"));

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        Assert.AreEqual(3L, (long)run.SentResults("eu-west-1").Single()["findings"]!);
        Assert.AreEqual("EventBridge.FailedEntry", (string?)run.Output["sendError"]!["Error"]);
        Assert.AreEqual(3L, (long)run.OutputRegion("eu-west-1")["findings"]!);
    }

    [TestMethod]
    public void Execute_RegionReachesTheInvocationLimit_ContinuesInANewExecutionThatResumesFromItsCheckpoint()
    {
        const int limit = ExporterStateMachine.MaxInvocationsPerExecution;
        var answers = Enumerable.Range(1, limit).Select(n => Returns(InProgress("eu-west-1", n, 100 * n))).ToList();
        var scenario = Scenario()
            .Exporter("eu-west-1", answers, then: Throws("Test.TooManyInvocations", "invoked past the limit"))
            .Exporter("us-east-1", [Returns(Complete(9))]);
        var input = Input("eu-west-1", "us-east-1");
        input["filters"] = JsonNode.Parse("""{"CompositeFilters":[{"StringFilters":[{"FieldName":"severity","Filter":{"Value":"Critical","Comparison":"EQUALS"}}]}]}""");
        input["since"] = "2026-01-01T00:00:00Z";
        input["api"] = "v2";

        var parent = LocalStepFunctions.Run(_asl, input, scenario);

        Assert.AreEqual("SUCCEEDED", parent.Status, parent.ToString());
        Assert.HasCount(limit, parent.ExporterInputs("eu-west-1"));
        var start = parent.StartExecutions.Single();
        Assert.IsTrue((bool)start["accepted"]!);
        Assert.AreEqual(OwnArn, (string?)start["StateMachineArn"], "the same state machine");
        Assert.AreEqual($"{ExportId}-eu-west-1-c1", (string?)start["Name"]);
        var childInput = start["Input"]!.AsObject();
        Assert.AreEqual(Checkpoint("eu-west-1", limit).ToJsonString(), childInput["checkpoint"]!.ToJsonString(), "the last answer's checkpoint");
        Assert.AreEqual(Counts(100 * limit).ToJsonString(), childInput["counts"]!.ToJsonString());
        Assert.AreEqual("[\"eu-west-1\"]", childInput["regions"]!.ToJsonString());
        Assert.AreEqual(1, (int)childInput["continuation"]!);
        Assert.AreEqual(0, (int)childInput["attempt"]!);
        Assert.AreEqual(input["filters"]!.ToJsonString(), childInput["filters"]!.ToJsonString());
        Assert.AreEqual("v2", (string?)childInput["api"], "a GetFindingsV2 export stays one after the hand-over");
        CollectionAssert.AreEqual(
            new[] { "v2" },
            parent.ExporterInputs("us-east-1").Concat(parent.ExporterInputs("eu-west-1")).Select(i => (string?)i["api"]).Distinct().ToList(),
            "every invocation of every Region pages GetFindingsV2");
        Assert.AreEqual("2026-01-01T00:00:00Z", (string?)childInput["since"]);
        Assert.AreEqual("2026-12-02T17:00:00Z", (string?)childInput["until"]);
        Assert.AreEqual(ExportId, (string?)childInput["exportId"]);
        Assert.AreEqual(Account, (string?)childInput["accountId"]);
        Assert.AreEqual("arn:aws:states:eu-west-1:111122223333:execution:sechub-fanout-exporter:parent", (string?)childInput["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"]);
        Assert.IsEmpty(parent.RegionResultEntries("eu-west-1"), "the new execution sends this Region's result, the parent none");
        Assert.AreEqual(9L, (long)parent.SentResults("us-east-1").Single()["findings"]!);
        var handedOver = parent.OutputRegion("eu-west-1");
        Assert.AreEqual(ExporterStateMachine.HandedOverStatus, (string?)handedOver["status"]);
        Assert.AreEqual($"{ExportId}-eu-west-1-c1", (string?)handedOver["continuedIn"]);

        var child = LocalStepFunctions.Run(
            _asl,
            childInput,
            new StateMachineScenario($"{ExportId}-eu-west-1-c1", _started.AddHours(3))
                .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", limit + 1, 100 * (limit + 1))), Returns(Complete(1234))]));

        Assert.AreEqual("SUCCEEDED", child.Status, child.ToString());
        var resumed = child.ExporterInputs("eu-west-1");
        Assert.HasCount(2, resumed);
        Assert.AreEqual(Checkpoint("eu-west-1", limit).ToJsonString(), resumed[0]["checkpoint"]!.ToJsonString(), "the new execution resumes from the handed-over checkpoint");
        Assert.AreEqual(Counts(100 * limit).ToJsonString(), resumed[0]["counts"]!.ToJsonString());
        Assert.AreEqual(input["filters"]!.ToJsonString(), resumed[0]["filters"]!.ToJsonString());
        Assert.AreEqual("v2", (string?)resumed[0]["api"]);
        Assert.AreEqual(0, (int)resumed[0]["invocations"]!, "the new execution has its own invocation budget");
        Assert.AreEqual(1, (int)resumed[0]["continuation"]!);
        var sent = child.SentResults("eu-west-1").Single();
        Assert.AreEqual(RegionExportStatus.Complete, (string?)sent["status"]);
        Assert.AreEqual(1234L, (long)sent["findings"]!);
        Assert.AreEqual(0, (int)sent["attempt"]!);
        Assert.IsEmpty(child.StartExecutions);
    }

    [TestMethod]
    public void Execute_RestartedAttemptHandsOverTwice_NamesCarryAttemptAndCountOn()
    {
        const int limit = ExporterStateMachine.MaxInvocationsPerExecution;
        var input = Input("us-west-2");
        input["attempt"] = 2;
        input["continuation"] = 1;
        input["checkpoint"] = Checkpoint("us-west-2", 8);
        input["counts"] = Counts(800);
        var scenario = Scenario().Exporter("us-west-2", Enumerable.Range(9, limit).Select(n => Returns(InProgress("us-west-2", n, 100 * n))));

        var run = LocalStepFunctions.Run(_asl, input, scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        Assert.AreEqual(Checkpoint("us-west-2", 8).ToJsonString(), run.ExporterInputs("us-west-2")[0]["checkpoint"]!.ToJsonString());
        var start = run.StartExecutions.Single();
        Assert.AreEqual($"{ExportId}-r2-us-west-2-c2", (string?)start["Name"]);
        Assert.IsLessThanOrEqualTo(80, ((string)start["Name"]!).Length);
        Assert.AreEqual(2, (int)start["Input"]!["continuation"]!);
        Assert.AreEqual(2, (int)start["Input"]!["attempt"]!);
        Assert.AreEqual(Checkpoint("us-west-2", 8 + limit).ToJsonString(), start["Input"]!["checkpoint"]!.ToJsonString());
        Assert.IsEmpty(run.PutEvents.Where(e => (string?)e["entry"]!["DetailType"] == FanoutNames.RegionResultDetailType).ToList());
    }

    [TestMethod]
    public void Execute_ExporterAsksToHandOver_HandsOverBeforeTheLimitOnlyWhenTrue()
    {
        var late = InProgress("eu-west-1", 2, 200);
        late["handOver"] = true;
        var notLate = InProgress("us-east-1", 1, 10);
        notLate["handOver"] = false;
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", 1, 100)), Returns(late)], then: Throws("Test.TooManyInvocations"))
            .Exporter("us-east-1", [Returns(notLate), Returns(Complete(20))]);

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1", "us-east-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        Assert.HasCount(2, run.ExporterInputs("eu-west-1"));
        var start = run.StartExecutions.Single();
        Assert.AreEqual($"{ExportId}-eu-west-1-c1", (string?)start["Name"]);
        Assert.AreEqual(Checkpoint("eu-west-1", 2).ToJsonString(), start["Input"]!["checkpoint"]!.ToJsonString());
        Assert.IsEmpty(run.RegionResultEntries("eu-west-1"));
        Assert.AreEqual(20L, (long)run.SentResults("us-east-1").Single()["findings"]!, "handOver false is no hand-over");
    }

    [TestMethod]
    [DataRow("StepFunctions.ExecutionAlreadyExistsException", ExporterStateMachine.HandedOverStatus, 0)]
    [DataRow("StepFunctions.StateMachineDoesNotExistException", RegionExportStatus.Failed, 1)]
    [DataRow("StepFunctions.ExecutionLimitExceededException", RegionExportStatus.Failed, 1)]
    public void Execute_StartingTheNewExecutionFails_AlreadyStartedIsHandedOverElseOneFailedResult(string error, string status, int results)
    {
        const int limit = ExporterStateMachine.MaxInvocationsPerExecution;
        var scenario = Scenario()
            .Exporter("eu-west-1", Enumerable.Range(1, limit).Select(n => Returns(InProgress("eu-west-1", n, 10 * n))))
            .Task("ContinueInNewExecution", null, [], then: Throws(error, "simulated start failure"));

        var run = LocalStepFunctions.Run(_asl, Input("eu-west-1"), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.ToString());
        Assert.AreEqual(status, (string?)run.OutputRegion("eu-west-1")["status"]);
        Assert.HasCount(results, run.SentResults("eu-west-1"));
        if (results == 1)
        {
            var failed = run.SentResults("eu-west-1").Single();
            Assert.AreEqual(FailureKinds.Error, (string?)failed["failureKind"]);
            Assert.AreEqual(10L * limit, (long)failed["findings"]!, "what the Region stored before it could not continue");
            StringAssert.StartsWith((string?)failed["error"], "could not continue in a new execution: " + error);
        }
    }

    [TestMethod]
    public void Execute_FortyRegionsEachAtTheLimitWithCrashesAndThrottledStarts_HistoryAsCountedAndBelowTheBound()
    {
        const int limit = ExporterStateMachine.MaxInvocationsPerExecution;
        const int regionCount = 40;
        var regions = Enumerable.Range(0, regionCount).Select(i => $"xx-test-{i + 1}").ToArray();
        var scenario = Scenario();
        foreach (var region in regions)
        {
            // Every invocation crashes as often as it is retried, then answers; every hand-over is throttled as often as it is retried.
            var answers = Enumerable.Range(1, limit).SelectMany(n => Enumerable.Repeat(Throws("Sandbox.Timedout"), ExporterStateMachine.CrashRetries).Append(Returns(InProgress(region, n, n))));
            scenario.Exporter(region, answers)
                .Task(
                    "ContinueInNewExecution",
                    new JsonObject { ["Input"] = new JsonObject { ["regions"] = new JsonArray(region) } },
                    Enumerable.Repeat(Throws("StepFunctions.ExecutionLimitExceededException"), 6).Append(Returns(new JsonObject { ["ExecutionArn"] = "arn:started" })));
        }

        var run = LocalStepFunctions.Run(_asl, Input(regions), scenario);

        Assert.AreEqual("SUCCEEDED", run.Status, run.Error?.ToJsonString());
        Assert.HasCount(regionCount, run.StartExecutions.Where(s => (bool)s["accepted"]!).ToList());
        Assert.IsTrue(regions.All(r => (string?)run.OutputRegion(r)["status"] == ExporterStateMachine.HandedOverStatus));
        // Per Region: 8 x (Task 5 + Choice 2 + 3 retries x 3) + 7 NextPage x 2 + hand-over (Choice 2, Pass 2, Task 5, 6 retries x 3,
        // Pass 2) + 2 iteration events = 173; the execution: 2 + 4 Pass/Choice x 2 + Map 4 + Summarize 2 + PutEvents 5 = 21.
        Assert.AreEqual((regionCount * 173) + 21, run.HistoryEvents);
        Assert.IsLessThan(25_000 / 2, run.HistoryEvents);
        Assert.IsLessThanOrEqualTo((regionCount * ((36 * limit) + 62)) + 50, run.HistoryEvents, "the bound documented on MaxInvocationsPerExecution");
    }

    [TestMethod]
    public void Control_DefinitionWithoutTheCrashRetrier_CrashFailsTheRegionAtOnce()
    {
        var asl = _asl.DeepClone().AsObject();
        var invoke = asl["States"]!["ExportRegions"]!["ItemProcessor"]!["States"]!["ExportPage"]!.AsObject();
        invoke["Retry"]!.AsArray().RemoveAt(1);
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(InProgress("eu-west-1", 1, 1000)), Throws("Sandbox.Timedout"), Returns(Complete(2000))]);

        var run = LocalStepFunctions.Run(asl, Input("eu-west-1"), scenario);

        Assert.HasCount(2, run.ExporterInputs("eu-west-1"), "no retry without the retrier: the runner does not retry on its own");
        Assert.AreEqual(RegionExportStatus.Failed, (string?)run.SentResults("eu-west-1").Single()["status"]);
    }

    [TestMethod]
    public void Control_DefinitionWithoutTheSendCatch_OneUnsendableResultFailsTheWholeExecution()
    {
        var asl = _asl.DeepClone().AsObject();
        var loop = asl["States"]!["ExportRegions"]!["ItemProcessor"]!["States"]!.AsObject();
        loop["SendRegionResult"]!.AsObject().Remove("Catch");
        loop.Remove("ResultNotSent");
        var scenario = Scenario()
            .Exporter("eu-west-1", [Returns(Complete(1))])
            .Exporter("us-east-1", [Returns(Complete(2))])
            .RegionResultSend("eu-west-1", [], then: Throws("EventBridge.FailedEntry"));

        var run = LocalStepFunctions.Run(asl, Input("eu-west-1", "us-east-1"), scenario);

        Assert.AreEqual("FAILED", run.Status, "the runner fails the Map when one iteration fails, as Step Functions does");
        Assert.AreEqual("EventBridge.FailedEntry", (string?)run.Error!["Error"]);
    }

    private static StateMachineScenario Scenario() => new("parent", _started);

    private static JsonObject Input(params string[] regions) => new()
    {
        ["exportId"] = ExportId,
        ["accountId"] = Account,
        ["regions"] = new JsonArray(regions.Select(r => (JsonNode)r).ToArray()),
        ["until"] = "2026-12-02T17:00:00Z",
    };

    private static JsonObject Checkpoint(string region, int n) => new()
    {
        ["exportId"] = ExportId,
        ["region"] = region,
        ["windows"] = new JsonArray(new JsonObject { ["index"] = 0, ["nextToken"] = $"token-{region}-{n}", ["nextSeq"] = n }),
    };

    private static JsonObject Counts(long findings) => new()
    {
        ["findings"] = findings,
        ["pages"] = findings / 100,
        ["parts"] = findings / 1000,
        ["bytes"] = findings * 1000,
        ["throttles"] = 1,
        ["retries"] = 2,
        ["durationMs"] = findings * 10,
    };

    private static JsonObject InProgress(string region, int n, long findings) => new()
    {
        ["status"] = "in-progress",
        ["checkpoint"] = Checkpoint(region, n),
        ["counts"] = Counts(findings),
    };

    private static JsonObject Complete(long findings) => new() { ["status"] = RegionExportStatus.Complete, ["counts"] = Counts(findings) };

    private static JsonObject Failed(string error, string failureKind, long findings) => new()
    {
        ["status"] = RegionExportStatus.Failed,
        ["counts"] = Counts(findings),
        ["error"] = error,
        ["failureKind"] = failureKind,
    };

    private static JsonObject Accepted() => new() { ["Entries"] = new JsonArray(new JsonObject { ["EventId"] = "accepted" }), ["FailedEntryCount"] = 0 };
}
