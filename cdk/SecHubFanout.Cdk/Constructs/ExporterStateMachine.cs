using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;
using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>
/// The member account's export: resolves the Regions, then a Map over them where each Region invokes the exporter in a loop,
/// feeding its checkpoint back in until it is done, and reports each Region's result and the account summary to the central bus.
/// </summary>
public sealed class ExporterStateMachine : Construct
{
    private static readonly string[] _lambdaTransientErrors =
    [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ];

    public ExporterStateMachine(Construct scope, string id, ExporterStateMachineProps props)
        : base(scope, id)
    {
        // Execution input (the launcher's MemberExecutionInput): {exportId, accountId, until, regions?, filters?, since?, attempt?}; absent optional fields get defaults so later paths always resolve.
        var applyDefaults = new Pass(this, "ApplyDefaults", new PassProps
        {
            // Built from a string because jsii drops null values from objects; braces are escaped inside intrinsic string literals.
            Parameters = new Dictionary<string, object> { ["value.$"] = "States.StringToJson('\\{\"regions\":[],\"filters\":null,\"since\":null,\"attempt\":0\\}')" },
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
                ["region.$"] = "$$.Map.Item.Value",
                ["filters.$"] = "$.args.filters",
                ["since.$"] = "$.args.since",
                ["until.$"] = "$.args.until",
                // Which attempt of the account this is; every Region result carries it, so the ledger can ignore a replaced attempt's.
                ["attempt.$"] = "$.args.attempt",
                // The Region's running counts start empty; NextPage carries them, so a failure still reports what was stored.
                ["counts"] = new Dictionary<string, object>(),
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

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            StateMachineName = FanoutNames.MemberStateMachine,
            DefinitionBody = DefinitionBody.FromChainable(applyDefaults),
            // A Region can take many 15-minute invocations; a day bounds a stuck loop.
            Timeout = Duration.Hours(24),
            Logs = new LogOptions { Destination = LogGroup, Level = LogLevel.ERROR, IncludeExecutionData = false },
        });
    }

    /// <summary>The state machine.</summary>
    public StateMachine StateMachine { get; }

    /// <summary>Its execution log group.</summary>
    public LogGroup LogGroup { get; }

    private IChainable RegionLoop(ExporterStateMachineProps props)
    {
        var invoke = new LambdaInvoke(this, "ExportPage", new LambdaInvokeProps
        {
            LambdaFunction = props.Exporter,
            // No Payload: the whole iteration state is the exporter input. Response only: the result is the function output itself.
            PayloadResponseOnly = true,
            RetryOnServiceExceptions = false,
            ResultPath = "$.result",
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

        var regionFailed = new Pass(this, "RegionFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["exportId.$"] = "$.exportId",
                ["region.$"] = "$.region",
                ["attempt.$"] = "$.attempt",
                ["result"] = new Dictionary<string, object>
                {
                    ["status"] = "failed",
                    ["error.$"] = "States.Format('{}: {}', $.error.Error, $.error.Cause)",
                    // What the Region stored before it failed (its parts are kept): the counts of the last successful invocation.
                    ["counts.$"] = "$.counts",
                },
            },
        });
        invoke.AddCatch(regionFailed, new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });

        var nextPage = new Pass(this, "NextPage", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["exportId.$"] = "$.exportId",
                ["region.$"] = "$.region",
                ["filters.$"] = "$.filters",
                ["since.$"] = "$.since",
                ["until.$"] = "$.until",
                ["destination.$"] = "$.destination",
                ["attempt.$"] = "$.attempt",
                ["checkpoint.$"] = "$.result.checkpoint",
                // The running counts go back in, so throttles, retries and duration add up over the Region's invocations.
                ["counts.$"] = "$.result.counts",
            },
        });

        // Detail of a Region result (the coordinator's RegionExportEvent): {exportId, accountId, region} merged with the exporter's
        // {status, error?} and its counts lifted to the top level (findings, pages, parts, bytes, throttles, retries).
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

        regionFailed.Next(toDetail);
        toDetail.Next(flatten).Next(send);

        return invoke.Next(new Choice(this, "MorePages?")
            // Rules run in order, so IsNull only sees a checkpoint that is present.
            .When(Condition.Not(Condition.IsPresent("$.result.checkpoint")), toDetail)
            .When(Condition.IsNull("$.result.checkpoint"), toDetail)
            .Otherwise(nextPage.Next(invoke)));
    }

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
            Errors = ["EventBridge.EventBridgeException", "EventBridge.InternalException", "EventBridge.ThrottlingException"],
            Interval = Duration.Seconds(1),
            BackoffRate = 2,
            MaxAttempts = 5,
            JitterStrategy = JitterType.FULL,
        });
        return send;
    }
}
