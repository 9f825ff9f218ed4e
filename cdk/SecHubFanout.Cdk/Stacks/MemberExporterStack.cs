using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using EventBusTarget = Amazon.CDK.AWS.Events.Targets.EventBus;
using EventBusTargetProps = Amazon.CDK.AWS.Events.Targets.EventBusProps;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Constructs;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Streaming;

namespace SecHubFanout.Cdk.Stacks;

/// <summary>
/// What StackSets deploy into every member account (home Region only): the exporter Lambda, the state machine that runs it over
/// the account's Regions, the TriggerRole the central launcher assumes, and the forwarding of execution status to the central bus.
/// Environment-agnostic: everything account-specific is a CloudFormation parameter or pseudo parameter.
/// </summary>
public sealed class MemberExporterStack : Stack
{
    /// <summary>The exporter's function timeout (Lambda's maximum).</summary>
    public static readonly Duration ExporterTimeout = Duration.Minutes(15);

    /// <summary>How long before the function timeout the exporter stops and returns its checkpoint.</summary>
    public const int ExporterSafetyMarginSeconds = 60;

    public MemberExporterStack(Construct scope, string id, IStackProps? props = null)
        : base(scope, id, props)
    {
        var centralAccountId = new CfnParameter(this, "CentralAccountId", new CfnParameterProps
        {
            Type = "String",
            AllowedPattern = "^\\d{12}$",
            Description = "Account ID of the central (security tooling) account that runs the launcher and owns the bucket and bus.",
        });
        var bucketName = new CfnParameter(this, "FindingsBucketName", new CfnParameterProps
        {
            Type = "String",
            MinLength = 3,
            Description = "Name of the central findings bucket; this account writes only below findings/account_id=<this account>/.",
        });
        var keyArn = new CfnParameter(this, "FindingsKeyArn", new CfnParameterProps
        {
            Type = "String",
            AllowedPattern = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/.+$",
            Description = "ARN of the central KMS key the findings bucket encrypts with.",
        });
        var busArn = new CfnParameter(this, "CentralEventBusArn", new CfnParameterProps
        {
            Type = "String",
            AllowedPattern = "^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/.+$",
            Description = "ARN of the central event bus that receives Region results, account summaries and execution status changes.",
        });
        var artifactBucket = new CfnParameter(this, "ArtifactBucketName", new CfnParameterProps
        {
            Type = "String",
            MinLength = 3,
            Description = "Bucket holding the exporter code package (in this stack's Region; readable by the organization).",
        });
        var codeKey = new CfnParameter(this, "ExporterCodeKey", new CfnParameterProps
        {
            Type = "String",
            MinLength = 1,
            Description = "Key of the exporter zip in the artifact bucket (content-addressed, so a new key updates the function).",
        });
        var regions = new CfnParameter(this, "Regions", new CfnParameterProps
        {
            Type = "CommaDelimitedList",
            Default = string.Empty,
            Description = "Regions to export when an export does not name them; empty = every Region enabled in the account.",
        });
        var maxConcurrency = new CfnParameter(this, "MaxConcurrency", new CfnParameterProps
        {
            Type = "Number",
            Default = MemberExporterDefaults.RegionConcurrency,
            MinValue = 1,
            MaxValue = MemberExporterDefaults.MaxRegionConcurrency,
            Description = "How many Regions of this account export at the same time (each has its own Security Hub quota).",
        });
        var memorySize = new CfnParameter(this, "ExporterMemorySize", new CfnParameterProps
        {
            Type = "Number",
            Default = MemberExporterDefaults.ExporterMemorySizeMb,
            MinValue = MemberExporterDefaults.MinExporterMemorySizeMb,
            MaxValue = MemberExporterDefaults.MaxExporterMemorySizeMb,
            Description = "Exporter Lambda memory in MB (CPU scales with it; 512 MB fits one Region per invocation with headroom, see bench/README.md).",
        });

        var streamFindings = new CfnParameter(this, "StreamFindings", new CfnParameterProps
        {
            Type = "String",
            Default = "false",
            AllowedValues = ["true", "false"],
            Description = "Forward this account's own Security Hub findings events (this Region) to the central bus, which streams them into the bucket. " +
                "Leave false where the Security Hub administrator streams the whole organization (the central stack's StreamFindings).",
        });

        var centralBus = EventBus.FromEventBusArn(this, "CentralBus", busArn.ValueAsString);
        var exporter = CreateExporter(bucketName.ValueAsString, keyArn.ValueAsString, artifactBucket.ValueAsString,
            codeKey.ValueAsString, memorySize.ValueAsNumber);

        var machine = new ExporterStateMachine(this, "StateMachine", new ExporterStateMachineProps
        {
            Exporter = exporter,
            ExporterTimeout = ExporterTimeout,
            CentralBus = centralBus,
            FindingsBucketName = bucketName.ValueAsString,
            FindingsKeyArn = keyArn.ValueAsString,
            DefaultRegionsCsv = Fn.Join(",", regions.ValueAsList),
            MaxConcurrency = maxConcurrency.ValueAsNumber,
        });
        StateMachine = machine.StateMachine;

        var forwardRole = ForwardExecutionStatus(centralBus);
        ForwardFindings(centralBus, forwardRole, streamFindings);

        var trigger = new Role(this, "TriggerRole", new RoleProps
        {
            RoleName = FanoutNames.TriggerRole,
            Description = "Assumed by the central SecHubFanout launcher to start, follow and stop exports in this account and to read its enabled Regions.",
            AssumedBy = new ArnPrincipal($"arn:{Aws.PARTITION}:iam::{centralAccountId.ValueAsString}:role/{FanoutNames.LauncherRole}"),
            MaxSessionDuration = Duration.Hours(1),
        });
        trigger.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StartExports",
            // ListExecutions: a restart also stops the executions a replaced one handed Regions on to (their names start with its own).
            Actions = ["states:StartExecution", "states:ListExecutions"],
            Resources = [StateMachine.StateMachineArn],
        }));
        // The launcher follows and stops the executions it started (restarts replace an attempt), only of this state machine.
        trigger.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "FollowAndStopExports",
            Actions = ["states:DescribeExecution", "states:StopExecution"],
            Resources = [$"arn:{Aws.PARTITION}:states:{Aws.REGION}:{Aws.ACCOUNT_ID}:execution:{FanoutNames.MemberStateMachine}:*"],
        }));
        // The launcher resolves this account's own enabled Regions through this role; DescribeRegions takes no resource, so "*".
        trigger.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EnabledRegions",
            Actions = ["ec2:DescribeRegions"],
            Resources = ["*"],
        }));

        _ = new CfnOutput(this, "StateMachineArn", new CfnOutputProps { Value = StateMachine.StateMachineArn });
        _ = new CfnOutput(this, "TriggerRoleArn", new CfnOutputProps { Value = trigger.RoleArn });
    }

    /// <summary>The execution statuses forwarded to the central bus: the terminal ones.</summary>
    public static readonly string[] ForwardedExecutionStatuses = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

    /// <summary>The member state machine.</summary>
    public Amazon.CDK.AWS.StepFunctions.StateMachine StateMachine { get; }

    private Function CreateExporter(string bucketName, string keyArn, string artifactBucket, string codeKey, double memorySize)
    {
        var role = new Role(this, "ExporterRole", new RoleProps
        {
            RoleName = FanoutNames.ExporterRole,
            Description = "SecHubFanout exporter: reads this account's findings, writes them below its own prefix of the central bucket.",
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
        });

        // GetFindings has no resource-level permissions (the Security Hub authorization reference lists no resource type for it),
        // so "*" is the only resource IAM accepts; the action itself is read-only and limited to this account's findings.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadFindings",
            Actions = ["securityhub:GetFindings"],
            Resources = ["*"],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteOwnPrefix",
            Actions = ["s3:PutObject", "s3:AbortMultipartUpload"],
            Resources = [$"arn:{Aws.PARTITION}:s3:::{bucketName}/{FanoutNames.FindingsPrefix}account_id={Aws.ACCOUNT_ID}/*"],
        }));
        // S3 calls KMS on the caller's behalf: GenerateDataKey for each object, Decrypt to complete a multipart upload
        // (S3 reads the encrypted parts back). Only through S3 in this Region, never directly.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "UseFindingsKeyThroughS3",
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = [keyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"s3.{Aws.REGION}.amazonaws.com" },
            },
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CountParameters",
            Actions = ["ssm:PutParameter"],
            Resources = [$"arn:{Aws.PARTITION}:ssm:{Aws.REGION}:{Aws.ACCOUNT_ID}:parameter/{FanoutNames.CountParameterPrefix.Trim('/')}/*"],
        }));

        // The exporter saves each Region's checkpoint here at every advance, so a crashed invocation's retry resumes from what was
        // stored. The items are transient state that expires (expiresAt) within days: nothing to restore with point-in-time
        // recovery, nobody reads a stream, and removing the stack deletes the table with them.
        var checkpoints = new Table(this, "Checkpoints", new TableProps
        {
            TableName = FanoutNames.CheckpointTable,
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            TimeToLiveAttribute = "expiresAt",
            Encryption = TableEncryption.AWS_MANAGED,
            PointInTimeRecovery = false,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OwnCheckpoints",
            Actions = ["dynamodb:GetItem", "dynamodb:PutItem"],
            Resources = [checkpoints.TableArn],
        }));

        var logGroup = new LogGroup(this, "ExporterLogs", new LogGroupProps
        {
            LogGroupName = "/aws/lambda/" + FanoutNames.MemberStateMachine,
            Retention = RetentionDays.THREE_MONTHS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OwnLogs",
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [logGroup.LogGroupArn],
        }));

        var function = new Function(this, "Exporter", new FunctionProps
        {
            FunctionName = FanoutNames.MemberStateMachine,
            Description = "SecHubFanout exporter: one Region of this account per invocation, resumable through its checkpoint.",
            Runtime = LambdaRuntimes.DotNet10,
            Architecture = LambdaRuntimes.Arm64,
            Handler = "SecHubFanout.Exporter::SecHubFanout.Exporter.ExporterFunction::HandleAsync",
            Code = Code.FromBucket(Bucket.FromBucketName(this, "ArtifactBucket", artifactBucket), codeKey),
            MemorySize = memorySize,
            Timeout = ExporterTimeout,
            Role = role,
            LogGroup = logGroup,
            Environment = new Dictionary<string, string>
            {
                [ExporterEnvironment.TimeBudgetSeconds] = (ExporterTimeout.ToSeconds() - ExporterSafetyMarginSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ExporterEnvironment.CountParameterPrefix] = FanoutNames.CountParameterPrefix,
                [ExporterEnvironment.FindingsBucketOwner] = Fn.Ref("CentralAccountId"),
                [ExporterEnvironment.CheckpointTable] = checkpoints.TableName,
                // Runtime settings measured in bench/README.md: the GC returns large-object garbage early ("Memory"), no dynamic-PGO
                // recompilation ("CPU per finding"), and idle worker threads do not spin (2026-12-03). Also in the project's
                // runtimeconfig; set here too because the environment reaches the runtime whichever way the managed runtime starts the function.
                ["DOTNET_GCConserveMemory"] = "7",
                ["DOTNET_TieredPGO"] = "0",
                ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
            },
        });
        function.Node.AddDependency(role);
        return function;
    }

    private Role ForwardExecutionStatus(IEventBus centralBus)
    {
        // A fixed name, so the central bus policy can allow PutEvents from exactly this role of every member (aws:PrincipalArn).
        var forwardRole = new Role(this, "ForwardStatusRole", new RoleProps
        {
            RoleName = FanoutNames.EventForwarderRole,
            Description = "Lets EventBridge forward this account's export execution status changes to the central bus.",
            AssumedBy = new ServicePrincipal("events.amazonaws.com"),
        });
        var rule = new Rule(this, "ForwardExecutionStatus", new RuleProps
        {
            Description = "Export executions that ended (best-effort per Step Functions) to the central SecHubFanout bus.",
            EventPattern = new EventPattern
            {
                Source = [FanoutNames.ExecutionStatusSource],
                DetailType = [FanoutNames.ExecutionStatusDetailType],
                Detail = new Dictionary<string, object>
                {
                    ["stateMachineArn"] = new[] { StateMachine.StateMachineArn },
                    // Only the end of an execution matters centrally (a Region silent after its execution ended is lost).
                    ["status"] = ForwardedExecutionStatuses,
                },
            },
        });
        rule.AddTarget(new EventBusTarget(centralBus, new EventBusTargetProps { Role = forwardRole }));
        return forwardRole;
    }

    /// <summary>
    /// The per-member option of the live stream: this account's own findings events of this Region go to the central bus (the role
    /// already may put events there; the central writer accepts from a member only findings of that member's account).
    /// </summary>
    private void ForwardFindings(IEventBus centralBus, Role forwardRole, CfnParameter streamFindings)
    {
        var enabled = new CfnCondition(this, "StreamFindingsEnabled", new CfnConditionProps
        {
            Expression = Fn.ConditionEquals(streamFindings.ValueAsString, "true"),
        });
        var rule = new Rule(this, "ForwardFindings", new RuleProps
        {
            Description = "This account's new and updated Security Hub findings to the central SecHubFanout bus (live stream).",
            EventPattern = new EventPattern
            {
                Source = [FindingEvents.Source],
                DetailType = [FindingEvents.DetailType],
                // An administrator's bus also carries its members' findings: forward only this account's own.
                Detail = new Dictionary<string, object> { ["findings"] = new Dictionary<string, object> { ["AwsAccountId"] = new[] { Aws.ACCOUNT_ID } } },
            },
        });
        rule.AddTarget(new EventBusTarget(centralBus, new EventBusTargetProps { Role = forwardRole }));
        ((CfnRule)rule.Node.DefaultChild!).CfnOptions.Condition = enabled;
    }
}
