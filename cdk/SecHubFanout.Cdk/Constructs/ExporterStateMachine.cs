using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>
/// The member account's export: resolves the Regions, then a Map over them where each Region invokes the exporter in a loop,
/// feeding its checkpoint back in until it is done, and reports each Region's result and the account summary to the central bus.
/// Nothing one Region does fails the Map or a sibling: crashes are retried from the last checkpoint, a Region that still fails
/// sends a failed result, a result that cannot be sent ends its iteration recorded as unsent, and a Region that would outlive
/// the execution (history or time) continues in a new execution of this state machine from its checkpoint.
/// </summary>
public sealed class ExporterStateMachine : Construct
{
    /// <summary>The execution timeout: a Region can take many 15-minute invocations; a day bounds a stuck loop.</summary>
    public static readonly Duration ExecutionTimeout = Duration.Hours(24);

    /// <summary>
    /// Age of an execution after which an unfinished Region continues in a new one (the exporter answers <c>handOver</c>): 20 h
    /// leaves 4 h before <see cref="ExecutionTimeout"/> for the invocation under way and its crash retries (at most 4 x 15 min
    /// plus backoff) and the hand-over itself. It matters for Regions that waited in the Map behind others (MaxConcurrency).
    /// </summary>
    public const int HandOverAfterSeconds = 20 * 3600;

    /// <summary>
    /// Exporter invocations of one Region in one execution; after that many an unfinished Region continues in a new execution.
    /// An inline Map's iterations all write into the one execution history, which fails at 25,000 events. Counting events:
    /// an invocation that loops is 9 (Task 5: entered, scheduled, started, succeeded, exited; Choice 2; Pass 2), and each retry
    /// adds 3 (failed, scheduled, started), at most 6 transient + <see cref="CrashRetries"/> crash retries, so at most 36. A Region's
    /// end (result, or hand-over whose start failed and then a result) is at most 60 events with every PutEvents/StartExecution
    /// retry, plus 2 Map iteration events: per Region at most 36N + 62, and 9N + 9 without retries. The execution itself adds at
    /// most 50. With 40 Regions (MaxRegionConcurrency, more than the Regions an account has) and N = 8: 40 x 350 + 50 = 14,050
    /// events if every invocation of every Region exhausted every retrier (56% of the limit), about 3,300 in a run without
    /// retries (13%). See docs/DECISIONS.md.
    /// </summary>
    public const int MaxInvocationsPerExecution = 8;

    /// <summary>Retries of an exporter crash or timeout, each from the same (last) checkpoint, before the Region fails.</summary>
    public const int CrashRetries = 3;

    /// <summary>Retries of a PutEvents that failed (partially or whole) before the result is recorded as unsent.</summary>
    public const int SendRetries = 6;

    /// <summary>The iteration status of a Region that continues in a new execution (the new execution sends its result).</summary>
    public const string HandedOverStatus = "handed-over";

    private static readonly string[] _lambdaTransientErrors =
    [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ];

    // States.TaskFailed matches every Task error but States.Timeout; the names before it say what is expected.
    private static readonly string[] _exporterCrashErrors =
    [
        "Sandbox.Timedout",
        "Lambda.Unknown",
        "Runtime.ExitError",
        "Runtime.OutOfMemory",
        "States.Timeout",
        "States.TaskFailed",
    ];

    // A partial PutEvents failure surfaces as EventBridge.FailedEntry; throttling and service errors as the SDK's exceptions.
    private static readonly string[] _sendErrors =
    [
        "EventBridge.FailedEntry",
        "EventBridge.ThrottlingException",
        "EventBridge.InternalException",
        "EventBridge.EventBridgeException",
        "EventBridge.SdkClientException",
    ];

    private static readonly string[] _startExecutionErrors =
    [
        "StepFunctions.ExecutionLimitExceededException",
        "StepFunctions.ThrottlingException",
        "StepFunctions.AWSStepFunctionsException",
        "StepFunctions.SdkClientException",
    ];

    public ExporterStateMachine(Construct scope, string id, ExporterStateMachineProps props)
        : base(scope, id)
    {
        // Execution input (the launcher's MemberExecutionInput): {exportId, accountId, until, regions?, api?, filters?, since?, attempt?},
        // plus, from a hand-over, {checkpoint, counts, continuation} for its one Region. Absent optional fields get defaults so later
        // paths always resolve.
        var applyDefaults = new Pass(this, "ApplyDefaults", new PassProps
        {
            // Built from a string because jsii drops null values from objects; braces are escaped inside intrinsic string literals.
            Parameters = new Dictionary<string, object>
            {
                ["value.$"] = "States.StringToJson('\\{\"regions\":[],\"api\":\"v1\",\"filters\":null,\"since\":null,\"attempt\":0,\"checkpoint\":null,\"counts\":\\{\\},\"continuation\":0\\}')",
            },
            ResultPath = "$.defaults",
        });
        var mergeInput = new Pass(this, "MergeInput", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["args.$"] = "States.JsonMerge($.defaults.value, $, false)" },
        });

        var fromInput = new Pass(this, "RegionsFromInput", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["regions.$"] = "$.args.regions" },
            ResultPath = "$.resolved",
        });
        var stackDefaults = new Pass(this, "StackRegions", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["csv"] = props.DefaultRegionsCsv },
            ResultPath = "$.stackRegions",
        });
        var fromStack = new Pass(this, "RegionsFromStack", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["regions.$"] = "States.StringSplit($.stackRegions.csv, ',')" },
            ResultPath = "$.resolved",
        });

        // DescribeRegions without AllRegions returns exactly the Regions enabled for this account.
        var enabledRegions = new CallAwsService(this, "EnabledRegions", new CallAwsServiceProps
        {
            Service = "ec2",
            Action = "describeRegions",
            IamAction = "ec2:DescribeRegions",
            // ec2:DescribeRegions has no resource-level permissions: AWS only accepts "*" here.
            IamResources = ["*"],
            ResultSelector = new Dictionary<string, object> { ["regions.$"] = "$.Regions[*].RegionName" },
            ResultPath = "$.resolved",
        });

        var exportRegions = new Map(this, "ExportRegions", new MapProps
        {
            ItemsPath = "$.resolved.regions",
            MaxConcurrency = props.MaxConcurrency,
            ItemSelector = new Dictionary<string, object>
            {
                ["exportId.$"] = "$.args.exportId",
                // This account, as deployed: the exporter confines its query to it and names the parts with it.
                ["accountId"] = Aws.ACCOUNT_ID,
                ["region.$"] = "$$.Map.Item.Value",
                ["api.$"] = "$.args.api",
                ["filters.$"] = "$.args.filters",
                ["since.$"] = "$.args.since",
                ["until.$"] = "$.args.until",
                // Which attempt of the account this is; every Region result carries it, so the ledger can ignore a replaced attempt's.
                ["attempt.$"] = "$.args.attempt",
                // Null and empty, except in an execution a hand-over started for its one Region: there the Region resumes from them.
                ["checkpoint.$"] = "$.args.checkpoint",
                ["counts.$"] = "$.args.counts",
                // How many executions this Region ran in before this one (names the next hand-over's execution).
                ["continuation.$"] = "$.args.continuation",
                ["invocations"] = 0,
                ["executionStartTime.$"] = "$$.Execution.StartTime",
                ["handOverAfterSeconds"] = HandOverAfterSeconds,
                ["destination"] = new Dictionary<string, object>
                {
                    ["bucket"] = props.FindingsBucketName,
                    ["prefix"] = FanoutNames.FindingsPrefix,
                    ["kmsKeyArn"] = props.FindingsKeyArn,
                },
            },
            ResultPath = "$.results",
        });
        exportRegions.ItemProcessor(RegionLoop(props));

        // The execution's output is this summary too: its status change event (forwarded to the central bus) carries it.
        var summarize = new Pass(this, "Summarize", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["detail"] = new Dictionary<string, object>
                {
                    ["exportId.$"] = "$.args.exportId",
                    ["accountId"] = Aws.ACCOUNT_ID,
                    ["regions.$"] = "$.results",
                },
            },
        });
        var sendSummary = SendToCentralBus("SendAccountSummary", props, FanoutNames.AccountSummaryDetailType);
        sendSummary.AddCatch(
            new Pass(this, "SummaryNotSent", new PassProps
            {
                Parameters = new Dictionary<string, object>
                {
                    ["exportId.$"] = "$.detail.exportId",
                    ["accountId.$"] = "$.detail.accountId",
                    ["regions.$"] = "$.detail.regions",
                    ["sendError.$"] = "$.sendError",
                },
            }),
            new CatchProps { Errors = [Errors.ALL], ResultPath = "$.sendError" });

        fromInput.Next(exportRegions);
        fromStack.Next(exportRegions);
        enabledRegions.Next(exportRegions);
        exportRegions.Next(summarize).Next(sendSummary);
        applyDefaults
            .Next(mergeInput)
            .Next(new Choice(this, "RegionsGiven?")
                .When(Condition.IsPresent("$.args.regions[0]"), fromInput)
                .Otherwise(stackDefaults.Next(new Choice(this, "StackRegionsSet?")
                    .When(Condition.StringEquals("$.stackRegions.csv", string.Empty), enabledRegions)
                    .Otherwise(fromStack))));

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            // The vendedlogs prefix keeps CloudWatch's resource policy small when many state machines log.
            LogGroupName = "/aws/vendedlogs/states/" + FanoutNames.MemberStateMachine,
            Retention = RetentionDays.THREE_MONTHS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        // A fixed name, so the central bus policy can allow PutEvents from exactly this role of every member (aws:PrincipalArn).
        Role = new Role(this, "Role", new RoleProps
        {
            RoleName = FanoutNames.StateMachineRole,
            Description = "SecHubFanout member state machine: invokes the exporter, sends Region results to the central bus, continues itself.",
            AssumedBy = new ServicePrincipal("states.amazonaws.com"),
        });

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            StateMachineName = FanoutNames.MemberStateMachine,
            DefinitionBody = DefinitionBody.FromChainable(applyDefaults),
            Role = Role,
            Timeout = ExecutionTimeout,
            Logs = new LogOptions { Destination = LogGroup, Level = LogLevel.ERROR, IncludeExecutionData = false },
        });
    }

    /// <summary>The state machine.</summary>
    public StateMachine StateMachine { get; }

    /// <summary>Its role (named <see cref="FanoutNames.StateMachineRole"/>).</summary>
    public Role Role { get; }

    /// <summary>Its execution log group.</summary>
    public LogGroup LogGroup { get; }

    /// <summary>This state machine's ARN built from its name, not from the resource (a reference to itself would be circular).</summary>
    public static string OwnArn => $"arn:{Aws.PARTITION}:states:{Aws.REGION}:{Aws.ACCOUNT_ID}:stateMachine:{FanoutNames.MemberStateMachine}";

    private IChainable RegionLoop(ExporterStateMachineProps props)
    {
        // The task's input is the loop state, which holds the last stored checkpoint; the answer goes to $.result only, so a retry
        // (Step Functions re-runs the task with the same input) resumes from that same checkpoint.
        var invoke = new LambdaInvoke(this, "ExportPage", new LambdaInvokeProps
        {
            LambdaFunction = props.Exporter,
            // No Payload: the whole iteration state is the exporter input. Response only: the result is the function output itself.
            PayloadResponseOnly = true,
            RetryOnServiceExceptions = false,
            ResultPath = "$.result",
            // The function ends itself at its timeout (Sandbox.Timedout); this only bounds an invocation that never answers.
            TaskTimeout = Amazon.CDK.AWS.StepFunctions.Timeout.Duration(Duration.Seconds(props.ExporterTimeout.ToSeconds() + 120)),
        });
        invoke.AddRetry(new RetryProps
        {
            Errors = _lambdaTransientErrors,
            Interval = Duration.Seconds(2),
            BackoffRate = 2,
            MaxAttempts = 6,
            MaxDelay = Duration.Minutes(1),
            JitterStrategy = JitterType.FULL,
        });
        invoke.AddRetry(new RetryProps
        {
            Errors = _exporterCrashErrors,
            Interval = Duration.Seconds(5),
            BackoffRate = 2,
            MaxAttempts = CrashRetries,
            MaxDelay = Duration.Minutes(1),
            JitterStrategy = JitterType.FULL,
        });

        // What the Region stored before it failed (its parts are kept): the counts of the last successful invocation.
        var regionFailed = FailedRegion("RegionFailed", "States.Format('{}: {}', $.error.Error, $.error.Cause)", FailureKinds.ExporterCrashed, "$.counts");
        invoke.AddCatch(regionFailed, new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });

        var nextPage = new Pass(this, "NextPage", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["exportId.$"] = "$.exportId",
                ["accountId.$"] = "$.accountId",
                ["region.$"] = "$.region",
                ["api.$"] = "$.api",
                ["filters.$"] = "$.filters",
                ["since.$"] = "$.since",
                ["until.$"] = "$.until",
                ["destination.$"] = "$.destination",
                ["attempt.$"] = "$.attempt",
                ["checkpoint.$"] = "$.result.checkpoint",
                // The running counts go back in, so throttles, retries and duration add up over the Region's invocations.
                ["counts.$"] = "$.result.counts",
                ["continuation.$"] = "$.continuation",
                ["invocations.$"] = "States.MathAdd($.invocations, 1)",
                ["executionStartTime.$"] = "$.executionStartTime",
                ["handOverAfterSeconds.$"] = "$.handOverAfterSeconds",
            },
        });
        nextPage.Next(invoke);

        // Detail of a Region result (the coordinator's RegionExportEvent): {exportId, accountId, region, attempt} merged with the
        // exporter's {status, error?, failureKind?} and its counts lifted to the top level (findings, pages, parts, bytes, ...).
        var toDetail = new Pass(this, "RegionEvent", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["ids"] = new Dictionary<string, object>
                {
                    ["exportId.$"] = "$.exportId",
                    ["accountId"] = Aws.ACCOUNT_ID,
                    ["region.$"] = "$.region",
                    ["attempt.$"] = "$.attempt",
                },
                ["result.$"] = "$.result",
            },
        });
        var flatten = new Pass(this, "FlattenRegionEvent", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["detail.$"] = "States.JsonMerge(States.JsonMerge($.ids, $.result, false), $.result.counts, false)" },
        });
        var send = SendToCentralBus("SendRegionResult", props, FanoutNames.RegionResultDetailType);
        // Never fail the Map: a result that could not be sent ends the iteration recorded as unsent (the central reconciler times the
        // Region out), and nothing sends a second, different result for it.
        send.AddCatch(
            new Pass(this, "ResultNotSent", new PassProps
            {
                Parameters = new Dictionary<string, object>
                {
                    ["exportId.$"] = "$.detail.exportId",
                    ["accountId.$"] = "$.detail.accountId",
                    ["region.$"] = "$.detail.region",
                    ["attempt.$"] = "$.detail.attempt",
                    ["status.$"] = "$.detail.status",
                    ["sendError.$"] = "$.sendError",
                },
            }),
            new CatchProps { Errors = [Errors.ALL], ResultPath = "$.sendError" });
        toDetail.Next(flatten).Next(send);
        regionFailed.Next(toDetail);

        var handOver = HandOver(toDetail);

        return invoke.Next(new Choice(this, "MorePages?")
            // Rules run in order, so IsNull only sees a checkpoint that is present.
            .When(Condition.Not(Condition.IsPresent("$.result.checkpoint")), toDetail)
            .When(Condition.IsNull("$.result.checkpoint"), toDetail)
            .When(Condition.NumberGreaterThanEquals("$.invocations", MaxInvocationsPerExecution - 1), handOver)
            // The exporter writes handOver only when true; the nested Choice still checks the value, as a Choice may not compare an absent field.
            .When(Condition.IsPresent("$.result.handOver"), new Choice(this, "HandOverAsked?")
                .When(Condition.BooleanEquals("$.result.handOver", true), handOver)
                .Otherwise(nextPage))
            .Otherwise(nextPage));
    }

    /// <summary>
    /// Continues an unfinished Region in a new execution of this state machine (fire-and-forget StartExecution) with its last
    /// checkpoint and counts; its iteration here ends without a result, which the new execution sends. The name is deterministic
    /// (<c>&lt;exportId&gt;[-r&lt;attempt&gt;]-&lt;region&gt;-c&lt;n&gt;</c>), so a repeated start is recognized and not doubled.
    /// </summary>
    private IChainable HandOver(IChainable toDetail)
    {
        var nextContinuation = "States.MathAdd($.continuation, 1)";
        var firstAttemptName = new Pass(this, "NameContinuation", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["name.$"] = $"States.Format('{{}}-{{}}-c{{}}', $.exportId, $.region, {nextContinuation})",
                ["continuation.$"] = nextContinuation,
            },
            ResultPath = "$.next",
        });
        var restartName = new Pass(this, "NameRestartContinuation", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["name.$"] = $"States.Format('{{}}-r{{}}-{{}}-c{{}}', $.exportId, $.attempt, $.region, {nextContinuation})",
                ["continuation.$"] = nextContinuation,
            },
            ResultPath = "$.next",
        });

        var start = new StepFunctionsStartExecution(this, "ContinueInNewExecution", new StepFunctionsStartExecutionProps
        {
            StateMachine = Amazon.CDK.AWS.StepFunctions.StateMachine.FromStateMachineArn(this, "Self", OwnArn),
            IntegrationPattern = IntegrationPattern.REQUEST_RESPONSE,
            Name = JsonPath.StringAt("$.next.name"),
            AssociateWithParent = true,
            Input = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["exportId.$"] = "$.exportId",
                ["accountId"] = Aws.ACCOUNT_ID,
                ["regions.$"] = "States.Array($.region)",
                ["api.$"] = "$.api",
                ["filters.$"] = "$.filters",
                ["since.$"] = "$.since",
                ["until.$"] = "$.until",
                ["attempt.$"] = "$.attempt",
                ["checkpoint.$"] = "$.result.checkpoint",
                ["counts.$"] = "$.result.counts",
                ["continuation.$"] = "$.next.continuation",
            }),
            ResultSelector = new Dictionary<string, object> { ["executionArn.$"] = "$.ExecutionArn" },
            ResultPath = "$.started",
        });
        start.AddRetry(new RetryProps
        {
            Errors = _startExecutionErrors,
            Interval = Duration.Seconds(2),
            BackoffRate = 2,
            MaxAttempts = 6,
            MaxDelay = Duration.Minutes(1),
            JitterStrategy = JitterType.FULL,
        });

        var handedOver = new Pass(this, "HandedOver", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["exportId.$"] = "$.exportId",
                ["accountId"] = Aws.ACCOUNT_ID,
                ["region.$"] = "$.region",
                ["attempt.$"] = "$.attempt",
                ["status"] = HandedOverStatus,
                ["continuedIn.$"] = "$.next.name",
            },
        });

        // The same name was started before (a retried start whose first try went through): the Region has continued there.
        start.AddCatch(handedOver, new CatchProps { Errors = ["StepFunctions.ExecutionAlreadyExistsException"], ResultPath = "$.startError" });
        // The last invocation succeeded: what it stored counts.
        var handOverFailed = FailedRegion(
            "HandOverFailed", "States.Format('could not continue in a new execution: {}: {}', $.startError.Error, $.startError.Cause)", FailureKinds.Error, "$.result.counts");
        start.AddCatch(handOverFailed, new CatchProps { Errors = [Errors.ALL], ResultPath = "$.startError" });
        handOverFailed.Next(toDetail);
        start.Next(handedOver);
        firstAttemptName.Next(start);
        restartName.Next(start);

        return new Choice(this, "RestartAttempt?")
            .When(Condition.NumberGreaterThan("$.attempt", 0), restartName)
            .Otherwise(firstAttemptName);
    }

    // A Region's failed result, in the shape RegionEvent flattens into the Region result's detail.
    private Pass FailedRegion(string id, string errorExpression, string failureKind, string countsPath) => new(this, id, new PassProps
    {
        Parameters = new Dictionary<string, object>
        {
            ["exportId.$"] = "$.exportId",
            ["region.$"] = "$.region",
            ["attempt.$"] = "$.attempt",
            ["result"] = new Dictionary<string, object>
            {
                ["status"] = RegionExportStatus.Failed,
                ["error.$"] = errorExpression,
                ["failureKind"] = failureKind,
                ["counts.$"] = countsPath,
            },
        },
    });

    private EventBridgePutEvents SendToCentralBus(string id, ExporterStateMachineProps props, string detailType)
    {
        var send = new EventBridgePutEvents(this, id, new EventBridgePutEventsProps
        {
            Entries =
            [
                new EventBridgePutEventsEntry
                {
                    EventBus = props.CentralBus,
                    Source = FanoutNames.EventSource,
                    DetailType = detailType,
                    Detail = TaskInput.FromJsonPathAt("$.detail"),
                },
            ],
            ResultPath = JsonPath.DISCARD,
            OutputPath = "$.detail",
        });
        send.AddRetry(new RetryProps
        {
            Errors = _sendErrors,
            Interval = Duration.Seconds(1),
            BackoffRate = 2,
            MaxAttempts = SendRetries,
            MaxDelay = Duration.Seconds(30),
            JitterStrategy = JitterType.FULL,
        });
        return send;
    }
}
