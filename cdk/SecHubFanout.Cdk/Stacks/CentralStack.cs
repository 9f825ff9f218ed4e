using System.Globalization;
using System.Security.Cryptography;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudFormation;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using Amazon.CDK.AWS.Scheduler;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Streaming;
using CfnStack = Amazon.CDK.AWS.CloudFormation.CfnStack;
using CfnStackProps = Amazon.CDK.AWS.CloudFormation.CfnStackProps;
using CfnStackSet = Amazon.CDK.AWS.CloudFormation.CfnStackSet;
using CfnStackSetProps = Amazon.CDK.AWS.CloudFormation.CfnStackSetProps;
using EventBus = Amazon.CDK.AWS.Events.EventBus;
using EventBusProps = Amazon.CDK.AWS.Events.EventBusProps;
using Function = Amazon.CDK.AWS.Lambda.Function;
using FunctionProps = Amazon.CDK.AWS.Lambda.FunctionProps;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;
using StorageClass = Amazon.CDK.AWS.S3.StorageClass;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;

namespace SecHubFanout.Cdk.Stacks;

/// <summary>
/// The central (security tooling / delegated administrator) account's stack in the home Region: the KMS key, the findings bucket and
/// its access-log bucket, the artifact bucket, the central bus and its rules, the ledger, the launcher, coordinator and reconciler, the
/// dead-letter queue and alarms, Glue/Athena, and the StackSet that rolls the member exporter out to the organization.
/// </summary>
public sealed class CentralStack : Stack
{
    /// <summary>The StackSet's name.</summary>
    public const string StackSetName = "SecHubFanout-member-exporter";

    /// <summary>The central event bus's name.</summary>
    public const string CentralBusName = "sechub-fanout";

    /// <summary>The rule that sends every Region result to the coordinator (fixed, so the key policy can name its ARN without a cycle).</summary>
    public const string RegionResultsRuleName = "sechub-fanout-region-results";

    /// <summary>The rule that sends failed, timed-out and aborted member executions to the coordinator.</summary>
    public const string ExecutionFailuresRuleName = "sechub-fanout-member-execution-failures";

    /// <summary>The rule on this account's default bus that sends Security Hub's findings events to the stream queue.</summary>
    public const string FindingsStreamRuleName = "sechub-fanout-findings-stream";

    /// <summary>The rule on the central bus that sends findings events forwarded by members to the stream queue.</summary>
    public const string MemberFindingsStreamRuleName = "sechub-fanout-member-findings-stream";

    /// <summary>The schedule group of the reconciler's schedule (the scheduler role trusts only this group).</summary>
    public const string ScheduleGroupName = "sechub-fanout";

    /// <summary>The reconciler's schedule.</summary>
    public const string ReconcileScheduleName = "sechub-fanout-reconciler";

    /// <summary>The name of the incremental export schedule (when the IncrementalExportSchedule parameter is not empty).</summary>
    public const string IncrementalScheduleName = "sechub-fanout-incremental-export";

    /// <summary>What the incremental export schedule sends the launcher (a LaunchRequest).</summary>
    public const string IncrementalLaunchInput = "{\"incremental\":true}";

    /// <summary>Prefix of every alarm name (the topic lets CloudWatch publish only for alarms named so).</summary>
    public const string AlarmNamePrefix = "sechub-fanout-";

    /// <summary>Key prefix of the findings bucket's server access logs in the access-log bucket.</summary>
    public const string FindingsAccessLogsPrefix = "findings-bucket/";

    /// <summary>The launcher's timeout: Lambda's maximum, it hands on to itself when an organization needs longer.</summary>
    public static readonly Duration LauncherTimeout = Duration.Minutes(15);

    /// <summary>The coordinator's timeout.</summary>
    public static readonly Duration CoordinatorTimeout = Duration.Minutes(5);

    /// <summary>The reconciler's timeout.</summary>
    public static readonly Duration ReconcilerTimeout = Duration.Minutes(5);

    /// <summary>The stream writer's timeout: a batch is at most 6 MB of events, encoded and stored in seconds.</summary>
    public static readonly Duration StreamWriterTimeout = Duration.Minutes(2);

    /// <summary>Deliveries of a stream message before the queue moves it to the stream's dead-letter queue.</summary>
    public const int StreamMaxReceiveCount = 5;

    // The calls DynamoDbLedger makes on the table; the failures index is queried separately.
    private static readonly string[] _ledgerActions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem"];

    private static readonly string[] _keyUseActions = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

    public CentralStack(Construct scope, string id, CentralStackProps props)
        : base(scope, id, props)
    {
        props.Artifacts.EnsureExist();
        // Grant S3 log delivery by bucket policy (logging.s3.amazonaws.com with aws:SourceArn/aws:SourceAccount), not the
        // LogDeliveryWrite ACL, which owner-enforced buckets refuse. Context must be set before the stack has children.
        Node.SetContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        var p = new CentralParameters(this);

        // A fixed name (unique per account and Region, like the stack) so that the key policy can name the bucket's ARN: the bucket
        // names the key, so a reference back from the key policy would be a cycle.
        var findingsBucketName = $"sechub-fanout-findings-{Aws.ACCOUNT_ID}-{Aws.REGION}";
        var key = CreateKey(p, $"arn:{Aws.PARTITION}:s3:::{findingsBucketName}");
        var accessLogs = CreateAccessLogsBucket(p);
        var findings = CreateFindingsBucket(p, key, findingsBucketName, accessLogs);
        var (artifacts, exporterCodeKey, templateUrl, deployments) = CreateArtifactBucket(p, props.Artifacts);

        var bus = new EventBus(this, "CentralBus", new EventBusProps { EventBusName = CentralBusName });
        _ = new CfnEventBusPolicy(this, "CentralBusOrgPolicy", new CfnEventBusPolicyProps
        {
            EventBusName = bus.EventBusName,
            StatementId = "OrganizationExporters",
            Statement = BusPolicyStatement(p, bus),
        });

        var topic = new Topic(this, "Notifications", new TopicProps
        {
            DisplayName = "SecHubFanout exports",
            MasterKey = key,
        });
        var subscription = new CfnSubscription(this, "NotificationEmailSubscription", new CfnSubscriptionProps
        {
            TopicArn = topic.TopicArn,
            Protocol = "email",
            Endpoint = p.NotificationEmail.ValueAsString,
        });
        subscription.CfnOptions.Condition = p.HasNotificationEmail;
        // Alarms are the only service-principal publisher: only this account's alarms of this stack's naming.
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsPublish",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:{AlarmNamePrefix}*" },
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
            },
        }));

        var ledger = new Table(this, "Ledger", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            Encryption = TableEncryption.CUSTOMER_MANAGED,
            EncryptionKey = key,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        // Sparse: only failed (account, Region) items carry the index keys, so a digest reads the failures, not the whole export.
        ledger.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = FanoutNames.LedgerFailuresIndex,
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = FanoutNames.LedgerFailuresPartitionKey, Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = FanoutNames.LedgerFailuresSortKey, Type = AttributeType.STRING },
            ProjectionType = ProjectionType.ALL,
        });

        var analytics = new FindingsAnalytics(this, "Analytics", new FindingsAnalyticsProps
        {
            Bucket = findings,
            Key = key,
        });

        // Region results the coordinator could not take (EventBridge delivery, or Lambda's asynchronous retries, exhausted) and
        // launcher hand-overs that failed: kept 14 days for a redrive, alarmed on.
        var deadLetters = DeadLetterQueue("DeadLetters", key);

        var environment = new Dictionary<string, string>
        {
            [CentralEnvironment.LedgerTable] = ledger.TableName,
            [CentralEnvironment.LedgerFailuresIndex] = FanoutNames.LedgerFailuresIndex,
            [CentralEnvironment.TopicArn] = topic.TopicArn,
            [CentralEnvironment.FindingsBucket] = findings.BucketName,
            [CentralEnvironment.FindingsBucketOwner] = Aws.ACCOUNT_ID,
            [CentralEnvironment.FindingsKmsKeyArn] = key.KeyArn,
            [CentralEnvironment.StackSetName] = StackSetName,
            [CentralEnvironment.CallAs] = p.CallAs.ValueAsString,
            [CentralEnvironment.DefaultRegions] = Fn.Join(",", p.Regions.ValueAsList),
            [CentralEnvironment.MaxConcurrency] = p.AccountConcurrency.ValueAsString,
            [CentralEnvironment.GlueDatabase] = FindingsAnalytics.DatabaseName,
            [CentralEnvironment.GlueTable] = FindingsAnalytics.TableName,
            [CentralEnvironment.GlueOcsfTable] = FindingsAnalytics.OcsfTableName,
            [CentralEnvironment.AthenaWorkgroup] = FindingsAnalytics.WorkGroupName,
            [CentralEnvironment.ReconcileAfterMinutes] = p.SilentRegionDeadlineMinutes.ValueAsString,
            [CentralEnvironment.IncludeThisAccount] = p.DeployExporterInThisAccount.ValueAsString,
        };

        // What each function's code calls, and nothing more (CentralServices wires it): all three write the ledger (a table encrypted
        // with the key), and all three may finish an export, which writes the manifest (SSE-KMS) and mails through the topic (encrypted
        // with the key). The launcher records an account it could not start through the coordinator, so a launch can be the export's
        // last step; the reconciler fails silent Regions, so its pass can be too.
        var launcher = CreateFunction(p, "Launcher", FanoutNames.LauncherRole, FanoutNames.LauncherFunction, "SecHubFanout.Coordinator.LauncherFunction",
            "Starts an org-wide export: ledger rows, then the member state machine of every account through its TriggerRole.",
            props.Artifacts.CoordinatorDirectory, environment, LauncherTimeout);
        var coordinator = CreateFunction(p, "Coordinator", null, null, "SecHubFanout.Coordinator.CoordinatorFunction",
            "Tracks Region results in the ledger, registers Glue partitions, writes the manifest and mails the summary.",
            props.Artifacts.CoordinatorDirectory, environment, CoordinatorTimeout);
        var reconciler = CreateFunction(p, "Reconciler", null, null, "SecHubFanout.Coordinator.ReconcilerFunction",
            "Fails pending Regions that stayed silent past the deadline, repairs counters, finishes exports and mails failure digests.",
            props.Artifacts.CoordinatorDirectory, environment, ReconcilerTimeout);
        foreach (var role in new[] { launcher.Role!, coordinator.Role!, reconciler.Role! })
        {
            role.AddToPrincipalPolicy(Statement("Ledger", _ledgerActions, [ledger.TableArn]));
            role.AddToPrincipalPolicy(Statement("LedgerFailuresIndex", ["dynamodb:Query"], [$"{ledger.TableArn}/index/{FanoutNames.LedgerFailuresIndex}"]));
            role.AddToPrincipalPolicy(Statement("Key", _keyUseActions, [key.KeyArn]));
            role.AddToPrincipalPolicy(Statement("Notify", ["sns:Publish"], [topic.TopicArn]));
            role.AddToPrincipalPolicy(Statement("WriteManifests", ["s3:PutObject"], [findings.ArnForObjects(FanoutNames.ManifestsPrefix + "*")]));
        }

        // The member TriggerRoles are only assumed inside the organization (a role of that name elsewhere is not ours).
        launcher.Role!.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AssumeMemberTriggerRoles",
            Actions = ["sts:AssumeRole"],
            Resources = [$"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.TriggerRole}"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:ResourceOrgID"] = p.OrgId.ValueAsString },
            },
        }));
        // The stack always sets STACK_SET_NAME, so the launcher lists the StackSet's instances (never Organizations ListAccounts).
        launcher.Role.AddToPrincipalPolicy(Statement("ListStackSetInstances", ["cloudformation:ListStackInstances"],
            [$"arn:{Aws.PARTITION}:cloudformation:{Aws.REGION}:*:stackset/{StackSetName}:*"]));
        // With an empty Regions parameter the launcher exports the Regions enabled here; DescribeRegions has no resource-level permissions.
        launcher.Role.AddToPrincipalPolicy(Statement("DescribeRegions", ["ec2:DescribeRegions"], ["*"]));
        // A launch that outgrows 15 minutes hands the rest on to a new invocation of itself; the ARN is built from the fixed name
        // because the function's own ARN attribute would make its policy depend on the function, which depends on the policy.
        launcher.Role.AddToPrincipalPolicy(Statement("HandOnToItself", ["lambda:InvokeFunction"],
            [$"arn:{Aws.PARTITION}:lambda:{Aws.REGION}:{Aws.ACCOUNT_ID}:function:{FanoutNames.LauncherFunction}"]));
        foreach (var function in new[] { coordinator, reconciler })
        {
            function.Role!.AddToPrincipalPolicy(Statement("RegisterPartitions", ["glue:GetTable", "glue:BatchCreatePartition"],
                [analytics.CatalogArn, analytics.DatabaseArn, analytics.TableArn, analytics.OcsfTableArn]));
        }

        // Asynchronous invocations: Lambda retries a function error itself, then drops the event unless it has a destination.
        // Coordinator: results are idempotent in the ledger, so two retries, then the dead-letter queue. Launcher hand-overs: also two
        // retries (a repeated chunk skips accounts already started, and StartExecution with the same name and input is idempotent), then
        // the dead-letter queue. Reconciler: the next tick is the retry.
        OnAsyncFailure(coordinator, retries: 2, deadLetters);
        OnAsyncFailure(launcher, retries: 2, deadLetters);
        OnAsyncFailure(reconciler, retries: 0, null);

        var toCoordinator = new LambdaFunction(coordinator, new LambdaFunctionProps
        {
            // Covers delivery to Lambda only (errors inside the function are the asynchronous configuration's): keep trying for a
            // day, then park the event in the dead-letter queue.
            RetryAttempts = 185,
            MaxEventAge = Duration.Hours(24),
            DeadLetterQueue = deadLetters,
        });
        var results = new Rule(this, "RegionResultsRule", new RuleProps
        {
            RuleName = RegionResultsRuleName,
            EventBus = bus,
            Description = "Every Region result from the member exporters goes to the coordinator.",
            EventPattern = new EventPattern { Source = [FanoutNames.EventSource], DetailType = [FanoutNames.RegionResultDetailType] },
        });
        results.AddTarget(toCoordinator);
        // The coordinator mails the first failures and then digests: a service control policy that denies one Region would otherwise
        // mean one email per account.
        var executionFailures = new Rule(this, "ExecutionFailuresRule", new RuleProps
        {
            RuleName = ExecutionFailuresRuleName,
            EventBus = bus,
            Description = "A member export execution that failed, timed out or was aborted (forwarded by the member stack) goes to the coordinator.",
            EventPattern = new EventPattern
            {
                Source = [FanoutNames.ExecutionStatusSource],
                DetailType = [FanoutNames.ExecutionStatusDetailType],
                Detail = new Dictionary<string, object> { ["status"] = new[] { "FAILED", "TIMED_OUT", "ABORTED" } },
            },
        });
        executionFailures.AddTarget(toCoordinator);

        var scheduleGroup = new CfnScheduleGroup(this, "ScheduleGroup", new CfnScheduleGroupProps { Name = ScheduleGroupName });
        ScheduleReconciler(p, reconciler, scheduleGroup);
        ScheduleIncrementalExports(p, launcher, scheduleGroup);
        var (streamWriter, streamDeadLetters) = CreateFindingsStream(p, key, findings, analytics, bus, environment, props.Artifacts.CoordinatorDirectory);
        CreateAlarms(
            topic,
            [
                ("dead-letters", deadLetters, "a Region result or launcher hand-over could not be processed and waits in the dead-letter queue " +
                    "(see the stack output DeadLetterQueueUrl; redrive it to the coordinator once the cause is fixed)."),
                ("stream-dead-letters", streamDeadLetters, "streamed findings events could not be written and wait in the stream dead-letter queue " +
                    "(stack output StreamDeadLetterQueueUrl; the stream writer's log names each message and why). Redrive them to the stream queue once fixed."),
            ],
            [("launcher", launcher), ("coordinator", coordinator), ("reconciler", reconciler), ("stream-writer", streamWriter)]);

        var memberParameters = new Dictionary<string, string>
        {
            ["CentralAccountId"] = Aws.ACCOUNT_ID,
            ["FindingsBucketName"] = findings.BucketName,
            ["FindingsKeyArn"] = key.KeyArn,
            ["CentralEventBusArn"] = bus.EventBusArn,
            ["ArtifactBucketName"] = artifacts.BucketName,
            ["ExporterCodeKey"] = exporterCodeKey,
            ["Regions"] = Fn.Join(",", p.Regions.ValueAsList),
            ["MaxConcurrency"] = p.RegionConcurrency.ValueAsString,
            ["ExporterMemorySize"] = p.ExporterMemorySize.ValueAsString,
            ["StreamFindings"] = p.StreamFromMembers.ValueAsString,
        };

        var stackSet = new CfnStackSet(this, "MemberStackSet", new CfnStackSetProps
        {
            StackSetName = StackSetName,
            Description = "SecHubFanout member exporter in every account of the target OUs (home Region).",
            PermissionModel = "SERVICE_MANAGED",
            AutoDeployment = new CfnStackSet.AutoDeploymentProperty { Enabled = true, RetainStacksOnAccountRemoval = false },
            CallAs = p.CallAs.ValueAsString,
            Capabilities = ["CAPABILITY_NAMED_IAM"],
            // The L1 types ManagedExecution as untyped JSON: a typed struct would render as {"active": true}, which CloudFormation ignores.
            ManagedExecution = new Dictionary<string, object> { ["Active"] = true },
            // One member's failed instance must not fail the operation (and with it this stack): a tolerance of 10% is zero accounts
            // below ten. 100% never stops the operation; SOFT_FAILURE_TOLERANCE keeps the concurrency at MaxConcurrentPercentage however
            // many fail (API reference, StackSetOperationPreferences.ConcurrencyMode). Failed instances are retried by the next update.
            OperationPreferences = new CfnStackSet.OperationPreferencesProperty
            {
                MaxConcurrentPercentage = 100,
                FailureTolerancePercentage = 100,
                ConcurrencyMode = "SOFT_FAILURE_TOLERANCE",
                RegionConcurrencyType = "PARALLEL",
            },
            StackInstancesGroup = new object[]
            {
                new CfnStackSet.StackInstancesProperty
                {
                    DeploymentTargets = new CfnStackSet.DeploymentTargetsProperty { OrganizationalUnitIds = p.TargetOuIds.ValueAsList },
                    Regions = [Aws.REGION],
                },
            },
            TemplateUrl = templateUrl,
            Parameters = memberParameters.Select(kv => (object)new CfnStackSet.ParameterProperty { ParameterKey = kv.Key, ParameterValue = kv.Value }).ToArray(),
        });
        // Member TriggerRoles name the launcher role as principal: IAM rejects a trust policy naming a role that does not exist yet.
        stackSet.Node.AddDependency(launcher.Role);
        foreach (var d in deployments)
        {
            stackSet.Node.AddDependency(d);
        }

        // Service-managed StackSets never deploy to the management account: this deploys the same template here (and the launcher,
        // told by INCLUDE_THIS_ACCOUNT, starts it too).
        var ownExporter = new CfnStack(this, "ExporterInThisAccount", new CfnStackProps
        {
            TemplateUrl = templateUrl,
            // This account's findings events reach the stream through its own default-bus rule, not by forwarding.
            Parameters = new Dictionary<string, string>(memberParameters) { ["StreamFindings"] = "false" },
        });
        ownExporter.CfnOptions.Condition = p.DeployExporterHere;
        ownExporter.Node.AddDependency(launcher.Role);
        foreach (var d in deployments)
        {
            ownExporter.Node.AddDependency(d);
        }

        _ = new CfnOutput(this, "FindingsBucketName", new CfnOutputProps { Value = findings.BucketName });
        _ = new CfnOutput(this, "FindingsKeyArn", new CfnOutputProps { Value = key.KeyArn });
        _ = new CfnOutput(this, "CentralEventBusArnOutput", new CfnOutputProps { Key = "CentralEventBusArn", Value = bus.EventBusArn });
        _ = new CfnOutput(this, "LedgerTable", new CfnOutputProps { Value = ledger.TableName });
        _ = new CfnOutput(this, "NotificationTopicArn", new CfnOutputProps { Value = topic.TopicArn });
        _ = new CfnOutput(this, "LauncherFunctionName", new CfnOutputProps { Value = launcher.FunctionName });
        _ = new CfnOutput(this, "DeadLetterQueueUrl", new CfnOutputProps { Value = deadLetters.QueueUrl });
        _ = new CfnOutput(this, "StreamDeadLetterQueueUrl", new CfnOutputProps { Value = streamDeadLetters.QueueUrl });
        _ = new CfnOutput(this, "AccessLogsBucketName", new CfnOutputProps { Value = accessLogs.BucketName });
        _ = new CfnOutput(this, "AthenaWorkGroup", new CfnOutputProps { Value = FindingsAnalytics.WorkGroupName });
        _ = new CfnOutput(this, "StackSetNameOutput", new CfnOutputProps { Key = "StackSetName", Value = StackSetName });
        _ = new CfnOutput(this, "MemberTemplateUrl", new CfnOutputProps { Value = templateUrl });
    }

    private static PolicyStatement Statement(string sid, string[] actions, string[] resources) => new(new PolicyStatementProps
    {
        Sid = sid,
        Actions = actions,
        Resources = resources,
    });

    private static string RuleArn(string ruleName) => $"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:rule/{CentralBusName}/{ruleName}";

    // A rule on the default bus has no bus name in its ARN.
    private static string DefaultBusRuleArn(string ruleName) => $"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:rule/{ruleName}";

    /// <summary>
    /// The live stream: Security Hub's <c>Findings - Imported</c> events (this account's default bus, and members' forwarded ones on the
    /// central bus) into an encrypted SQS queue, read in batches by the stream writer, which stores Parquet parts below
    /// <c>export_id=stream-*</c> and reports each message it could not write; after <see cref="StreamMaxReceiveCount"/> deliveries a
    /// message moves to the stream's own dead-letter queue, as does an event EventBridge could not deliver.
    /// </summary>
    private (Function Writer, Queue DeadLetters) CreateFindingsStream(CentralParameters p, Key key, Bucket findings, FindingsAnalytics analytics, EventBus bus, Dictionary<string, string> environment, string codeDirectory)
    {
        var deadLetters = DeadLetterQueue("StreamDeadLetters", key);
        var queue = new Queue(this, "StreamQueue", new QueueProps
        {
            Encryption = QueueEncryption.KMS,
            EncryptionMasterKey = key,
            // Lambda's guidance for SQS sources: at least six times the function timeout plus the batching window (at most 300 s).
            VisibilityTimeout = Duration.Seconds((6 * StreamWriterTimeout.ToSeconds()) + 300),
            // A writer outage (a broken deployment, a key or bucket policy mistake) has two weeks before anything ages out.
            RetentionPeriod = Duration.Days(14),
            DeadLetterQueue = new DeadLetterQueue { Queue = deadLetters, MaxReceiveCount = StreamMaxReceiveCount },
            EnforceSSL = true,
        });

        var writer = CreateFunction(p, "StreamWriter", null, null, "SecHubFanout.Coordinator.StreamWriterFunction",
            "Writes batches of streamed Security Hub findings events as Parquet parts below export_id=stream-<hour> and registers their partitions.",
            codeDirectory, environment, StreamWriterTimeout);
        var role = writer.Role!;
        // Only stream partitions: the writer can neither touch an export's parts nor the manifests.
        role.AddToPrincipalPolicy(Statement("WriteStreamParts", ["s3:PutObject"],
            [findings.ArnForObjects($"{FanoutNames.FindingsPrefix}account_id=*/region=*/export_date=*/export_id={StreamExportIds.Prefix}*/*")]));
        // GenerateDataKey: SSE-KMS parts; Decrypt: reading the encrypted queue.
        role.AddToPrincipalPolicy(Statement("Key", ["kms:GenerateDataKey", "kms:Decrypt"], [key.KeyArn]));
        role.AddToPrincipalPolicy(Statement("RegisterPartitions", ["glue:GetTable", "glue:BatchCreatePartition"], [analytics.CatalogArn, analytics.DatabaseArn, analytics.TableArn]));
        role.AddToPrincipalPolicy(Statement("ReadStreamQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], [queue.QueueArn]));

        var source = new CfnEventSourceMapping(this, "StreamWriterSource", new CfnEventSourceMappingProps
        {
            FunctionName = writer.FunctionName,
            EventSourceArn = queue.QueueArn,
            BatchSize = 10_000,
            MaximumBatchingWindowInSeconds = p.StreamBatchWindowSeconds.ValueAsNumber,
            FunctionResponseTypes = ["ReportBatchItemFailures"],
            // A few writers at a time: parts stay large, and a burst waits in the queue instead of multiplying small objects.
            ScalingConfig = new CfnEventSourceMapping.ScalingConfigProperty { MaximumConcurrency = 5 },
        });
        // Lambda checks that the role can read the queue when the mapping is created.
        source.Node.AddDependency(role);

        var pattern = new Dictionary<string, object>
        {
            ["source"] = new[] { FindingEvents.Source },
            ["detail-type"] = new[] { FindingEvents.DetailType },
        };
        var target = new CfnRule.TargetProperty
        {
            Id = "StreamQueue",
            Arn = queue.QueueArn,
            // Delivery to SQS only fails while the queue or key is unusable: keep trying for a day, then park the event.
            RetryPolicy = new CfnRule.RetryPolicyProperty { MaximumRetryAttempts = 185, MaximumEventAgeInSeconds = 86_400 },
            DeadLetterConfig = new CfnRule.DeadLetterConfigProperty { Arn = deadLetters.QueueArn },
        };
        // L1 rules: the L2 SQS target would grant EventBridge wildcard KMS actions on the key; the key statement above is exact.
        var here = new CfnRule(this, "FindingsStreamRule", new CfnRuleProps
        {
            Name = FindingsStreamRuleName,
            Description = "New and updated Security Hub findings (this account's default bus: with the administrator in its aggregation Region, the whole organization) to the stream queue.",
            EventPattern = pattern,
            State = Fn.ConditionIf(p.StreamHere.LogicalId, "ENABLED", "DISABLED").ToString(),
            Targets = new object[] { target },
        });
        var members = new CfnRule(this, "MemberFindingsStreamRule", new CfnRuleProps
        {
            Name = MemberFindingsStreamRuleName,
            EventBusName = bus.EventBusName,
            Description = "Security Hub findings events that members forward from their home Region (member parameter StreamFindings) to the stream queue.",
            EventPattern = pattern,
            State = "ENABLED",
            Targets = new object[] { target },
        });
        var rules = new[] { DefaultBusRuleArn(FindingsStreamRuleName), RuleArn(MemberFindingsStreamRuleName) };
        foreach (var q in new[] { queue, deadLetters })
        {
            q.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "StreamRulesSend",
                Principals = [new ServicePrincipal("events.amazonaws.com")],
                Actions = ["sqs:SendMessage"],
                Resources = [q.QueueArn],
                Conditions = new Dictionary<string, object>
                {
                    ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = rules },
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                },
            }));
        }

        here.Node.AddDependency(queue, deadLetters);
        members.Node.AddDependency(queue, deadLetters);
        return (writer, deadLetters);
    }

    /// <summary>
    /// Who may put events on the central bus: only the two member roles that send (the state machine's Region results and account
    /// summaries, the forwarding rules' execution status changes and, where a member streams, its findings events), only in the
    /// organization, only with the three sources the rules read.
    /// </summary>
    /// <remarks>
    /// <c>events:source</c> is a PutEvents condition key that a bus policy can test (EventBridge User Guide, "Example policy: Send events
    /// to a custom bus in a different account", eb-event-bus-example-policy-cross-account-custom-bus-source.html, and "Using IAM policy
    /// conditions", eb-use-conditions.html). One PutEvents call can carry entries of several sources, so the key is multivalued: the
    /// AWS example tests it with <c>ForAllValues:StringEquals</c> (every entry's source must be listed), and <c>Null</c> = false
    /// refuses a request that carries none (ForAllValues alone is true for an empty set).
    /// </remarks>
    private Dictionary<string, object> BusPolicyStatement(CentralParameters p, EventBus bus) => new()
    {
        ["Effect"] = "Allow",
        ["Principal"] = "*",
        ["Action"] = "events:PutEvents",
        ["Resource"] = bus.EventBusArn,
        ["Condition"] = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = p.OrgId.ValueAsString },
            ["ArnLike"] = new Dictionary<string, object>
            {
                ["aws:PrincipalArn"] = new[]
                {
                    $"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.StateMachineRole}",
                    $"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.EventForwarderRole}",
                },
            },
            ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["events:source"] = new[] { FanoutNames.EventSource, FanoutNames.ExecutionStatusSource, FindingEvents.Source } },
            ["Null"] = new Dictionary<string, object> { ["events:source"] = "false" },
        },
    };

    private Key CreateKey(CentralParameters p, string findingsBucketArn)
    {
        var policy = new PolicyDocument();
        // Explicit actions instead of the usual kms:* for the account: administration and use through IAM policies of this account.
        policy.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AccountAdministersAndGrantsThroughIam",
            Principals = [new AccountRootPrincipal()],
            Actions =
            [
                "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:DisableKeyRotation",
                "kms:RotateKeyOnDemand", "kms:ListKeyRotations", "kms:EnableKey", "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
                "kms:TagResource", "kms:UntagResource", "kms:ListResourceTags", "kms:UpdateKeyDescription", "kms:CreateAlias", "kms:UpdateAlias",
                "kms:DeleteAlias", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", "kms:RetireGrant", "kms:Encrypt", "kms:Decrypt",
                "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
            ],
            Resources = ["*"],
        }));
        // Members' exporters, only through S3 in the home Region and only for the findings bucket. S3 asks KMS for GenerateDataKey
        // (new objects) and Decrypt (completing a multipart upload); it never calls Encrypt for SSE-KMS, so members do not get it.
        // The encryption context is the bucket's ARN, not the object's: the findings bucket uses an S3 Bucket Key, and with a bucket
        // key S3 calls KMS once per bucket-level key with the bucket ARN as context (S3 User Guide, "Reducing the cost of SSE-KMS with
        // Amazon S3 Bucket Keys"; DESIGN.md Facts). A condition on the object ARN (findings/account_id=${aws:PrincipalAccount}/*)
        // would never match and deny every upload; the per-account prefix stays the bucket policy's job.
        policy.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OrganizationExportersThroughS3InHomeRegion",
            Principals = [new AnyPrincipal()],
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["aws:PrincipalOrgID"] = p.OrgId.ValueAsString,
                    ["kms:ViaService"] = $"s3.{Aws.REGION}.amazonaws.com",
                    ["kms:EncryptionContext:aws:s3:arn"] = findingsBucketArn,
                },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = $"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.ExporterRole}" },
            },
        }));
        // EventBridge writes events it could not deliver to the dead-letter queues, and findings events to the stream queue, all
        // encrypted with this key; only for the stack's rules (names fixed: the rules depend on the queues, which depend on this key).
        policy.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EventBridgeToEncryptedDeadLetterQueue",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = new[]
                {
                    RuleArn(RegionResultsRuleName), RuleArn(ExecutionFailuresRuleName), RuleArn(MemberFindingsStreamRuleName), DefaultBusRuleArn(FindingsStreamRuleName),
                } },
            },
        }));
        // CloudWatch alarms publish to the topic, which is encrypted with this key.
        policy.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsToEncryptedTopic",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
            },
        }));

        return new Key(this, "FindingsKey", new KeyProps
        {
            Description = "SecHubFanout: findings bucket, ledger, notifications, dead letters and query results.",
            EnableKeyRotation = true,
            Alias = "alias/sechub-fanout",
            Policy = policy,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    /// <summary>The findings bucket's server access logs. SSE-S3: S3 server access logging cannot deliver to an SSE-KMS bucket.</summary>
    private Bucket CreateAccessLogsBucket(CentralParameters p) => new(this, "AccessLogsBucket", new BucketProps
    {
        Encryption = BucketEncryption.S3_MANAGED,
        // Owner enforced: the log delivery is granted by a bucket policy (logging.s3.amazonaws.com, aws:SourceArn and
        // aws:SourceAccount of the findings bucket), which CDK writes when the findings bucket names this one as its log target.
        ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
        BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
        EnforceSSL = true,
        RemovalPolicy = RemovalPolicy.RETAIN,
        LifecycleRules =
        [
            new LifecycleRule
            {
                Id = "ExpireAccessLogs",
                Expiration = Duration.Days(p.LogRetentionDays.ValueAsNumber),
                AbortIncompleteMultipartUploadAfter = Duration.Days(1),
            },
        ],
    });

    private Bucket CreateFindingsBucket(CentralParameters p, Key key, string bucketName, Bucket accessLogs)
    {
        var bucket = new Bucket(this, "FindingsBucket", new BucketProps
        {
            BucketName = bucketName,
            Encryption = BucketEncryption.KMS,
            EncryptionKey = key,
            BucketKeyEnabled = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Versioned = true,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            ServerAccessLogsBucket = accessLogs,
            ServerAccessLogsPrefix = FindingsAccessLogsPrefix,
            LifecycleRules =
            [
                // A member may overwrite its own keys (a resumed window rewrites its deterministic part keys), and the overwritten
                // version becomes noncurrent: it is kept as long as the findings themselves, so an overwrite can never destroy a past
                // export within the retention. Members cannot delete (no s3:DeleteObject), so lifecycle is the only thing that does.
                new LifecycleRule
                {
                    Id = "FindingsTiering",
                    Prefix = FanoutNames.FindingsPrefix,
                    Transitions = [new Transition { StorageClass = StorageClass.INTELLIGENT_TIERING, TransitionAfter = Duration.Days(p.TransitionDays.ValueAsNumber) }],
                    Expiration = Duration.Days(p.ExpirationDays.ValueAsNumber),
                    NoncurrentVersionExpiration = Duration.Days(p.ExpirationDays.ValueAsNumber),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
                // S3 refuses ExpiredObjectDeleteMarker next to an expiration in days: separate rules.
                new LifecycleRule { Id = "FindingsDeleteMarkers", Prefix = FanoutNames.FindingsPrefix, ExpiredObjectDeleteMarker = true },
                new LifecycleRule
                {
                    Id = "QueryResults",
                    Prefix = FindingsAnalytics.ResultsPrefix,
                    Expiration = Duration.Days(30),
                    NoncurrentVersionExpiration = Duration.Days(1),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
                new LifecycleRule { Id = "QueryResultsDeleteMarkers", Prefix = FindingsAnalytics.ResultsPrefix, ExpiredObjectDeleteMarker = true },
            ],
        });

        // SSE-C would pass the SSE conditions below (they only test the SSE-KMS headers if present): refuse it for everyone.
        bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DenyCustomerProvidedKeys",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["s3:PutObject"],
            Resources = [bucket.ArnForObjects("*")],
            Conditions = new Dictionary<string, object>
            {
                ["Null"] = new Dictionary<string, object> { ["s3:x-amz-server-side-encryption-customer-algorithm"] = "false" },
            },
        }));

        var writerConditions = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = p.OrgId.ValueAsString },
            ["ArnLike"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = $"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.ExporterRole}" },
        };
        // ${aws:PrincipalAccount} is resolved by S3 per request: each account's exporter reaches only its own prefix.
        var ownPrefix = $"{bucket.BucketArn}/{FanoutNames.FindingsPrefix}account_id=${{aws:PrincipalAccount}}/*";
        bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OrganizationExportersWriteOwnPrefixWithTheKey",
            Principals = [new AnyPrincipal()],
            Actions = ["s3:PutObject"],
            Resources = [ownPrefix],
            Conditions = new Dictionary<string, object>(writerConditions)
            {
                // IfExists: UploadPart/CompleteMultipartUpload (also s3:PutObject) carry no SSE headers; an upload without them gets the
                // bucket default (this key), an upload naming anything else is not allowed.
                ["StringEqualsIfExists"] = new Dictionary<string, object>
                {
                    ["s3:x-amz-server-side-encryption"] = "aws:kms",
                    ["s3:x-amz-server-side-encryption-aws-kms-key-id"] = key.KeyArn,
                },
            },
        }));
        bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OrganizationExportersAbortOwnUploads",
            Principals = [new AnyPrincipal()],
            Actions = ["s3:AbortMultipartUpload"],
            Resources = [ownPrefix],
            Conditions = writerConditions,
        }));
        return bucket;
    }

    private (Bucket Bucket, string ExporterCodeKey, string TemplateUrl, BucketDeployment[] Deployments) CreateArtifactBucket(CentralParameters p, ArtifactPaths artifacts)
    {
        var bucket = new Bucket(this, "ArtifactBucket", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Versioned = true,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        // Lambda in each member account fetches the exporter code with the member's deployment credentials.
        bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OrganizationReadsArtifacts",
            Principals = [new AnyPrincipal()],
            Actions = ["s3:GetObject"],
            Resources = [bucket.ArnForObjects("*")],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = p.OrgId.ValueAsString },
            },
        }));

        // Content-addressed keys: a new package or template is a new key, which is what makes CloudFormation update the members.
        var codeKey = $"exporter/{ShortHash(File.ReadAllBytes(artifacts.ExporterZip))}/exporter.zip";
        var templateText = File.ReadAllText(artifacts.MemberTemplate);
        var templateKey = $"templates/{ShortHash(File.ReadAllBytes(artifacts.MemberTemplate))}/member-exporter.template.json";

        // Both deployments share CDK's one handler function; its logs go to a group with the stack's retention, not to an unexpiring
        // group Lambda would create.
        var handlerLogs = RetainedLogGroup(p, "DeploymentHandlerLogs");
        var code = new BucketDeployment(this, "ExporterCode", new BucketDeploymentProps
        {
            DestinationBucket = bucket,
            DestinationKeyPrefix = Path.GetDirectoryName(codeKey)!.Replace('\\', '/') + "/",
            Sources = [Source.Asset(Path.GetDirectoryName(artifacts.ExporterZip)!, new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = ["*", "!exporter.zip"] })],
            Prune = false,
            RetainOnDelete = true,
            LogGroup = handlerLogs,
        });
        var template = new BucketDeployment(this, "MemberTemplate", new BucketDeploymentProps
        {
            DestinationBucket = bucket,
            Sources = [Source.Data(templateKey, templateText)],
            Prune = false,
            RetainOnDelete = true,
            LogGroup = handlerLogs,
        });
        RestrictDeploymentRole(code, bucket);
        RestrictDeploymentRole(template, bucket);

        var url = $"https://{bucket.BucketRegionalDomainName}/{templateKey}";
        return (bucket, codeKey, url, [code, template]);
    }

    /// <summary>Replaces the deployment handler's generated policy (s3:GetObject*, s3:List*, ...) with the exact actions it uses.</summary>
    private void RestrictDeploymentRole(BucketDeployment deployment, Bucket destination)
    {
        var qualifier = (Synthesizer as DefaultStackSynthesizer)?.BootstrapQualifier ?? "hnb659fds";
        var assetsBucket = $"arn:{Aws.PARTITION}:s3:::cdk-{qualifier}-assets-{Aws.ACCOUNT_ID}-{Aws.REGION}";
        var policy = (Amazon.CDK.AWS.IAM.CfnPolicy)deployment.HandlerRole.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        policy.AddPropertyOverride("PolicyDocument.Statement", new object[]
        {
            new Dictionary<string, object> { ["Sid"] = "ReadAssets", ["Effect"] = "Allow", ["Action"] = "s3:GetObject", ["Resource"] = assetsBucket + "/*" },
            new Dictionary<string, object> { ["Sid"] = "ListDestination", ["Effect"] = "Allow", ["Action"] = "s3:ListBucket", ["Resource"] = destination.BucketArn },
            new Dictionary<string, object> { ["Sid"] = "WriteDestination", ["Effect"] = "Allow", ["Action"] = "s3:PutObject", ["Resource"] = destination.ArnForObjects("*") },
        });
    }

    /// <summary>A log group kept as long as the LogRetentionDays parameter says (the L2 takes only enum values, so the L1 is set).</summary>
    private LogGroup RetainedLogGroup(CentralParameters p, string id)
    {
        var logGroup = new LogGroup(this, id, new LogGroupProps
        {
            Retention = RetentionDays.THREE_MONTHS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        ((CfnLogGroup)logGroup.Node.DefaultChild!).RetentionInDays = p.LogRetentionDays.ValueAsNumber;
        return logGroup;
    }

    private Function CreateFunction(CentralParameters p, string id, string? roleName, string? functionName, string type, string description, string codeDirectory, Dictionary<string, string> environment, Duration timeout)
    {
        var role = new Role(this, id + "Role", new RoleProps
        {
            RoleName = roleName,
            Description = description,
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
        });
        var logGroup = RetainedLogGroup(p, id + "Logs");
        role.AddToPrincipalPolicy(Statement("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [logGroup.LogGroupArn]));
        var function = new Function(this, id, new FunctionProps
        {
            FunctionName = functionName,
            Description = description,
            Runtime = LambdaRuntimes.DotNet10,
            Architecture = LambdaRuntimes.Arm64,
            Handler = $"SecHubFanout.Coordinator::{type}::HandleAsync",
            Code = Code.FromAsset(codeDirectory),
            MemorySize = 512,
            Timeout = timeout,
            Role = role,
            LogGroup = logGroup,
            Environment = new Dictionary<string, string>(environment)
            {
                [CentralEnvironment.FunctionTimeoutSeconds] = timeout.ToSeconds().ToString(CultureInfo.InvariantCulture),
            },
        });
        return function;
    }

    /// <summary>
    /// What Lambda does when an asynchronous invocation of <paramref name="function"/> fails: retry <paramref name="retries"/> times,
    /// then send it to <paramref name="deadLetters"/> (if any). The L1, because the L2 destination grants wildcard KMS actions.
    /// </summary>
    private void OnAsyncFailure(Function function, int retries, Queue? deadLetters)
    {
        var config = new CfnEventInvokeConfig(this, function.Node.Id + "AsyncInvoke", new CfnEventInvokeConfigProps
        {
            FunctionName = function.FunctionName,
            Qualifier = "$LATEST",
            MaximumRetryAttempts = retries,
            MaximumEventAgeInSeconds = (int)Duration.Hours(6).ToSeconds(),
            DestinationConfig = deadLetters is null ? null : new CfnEventInvokeConfig.DestinationConfigProperty
            {
                OnFailure = new CfnEventInvokeConfig.OnFailureProperty { Destination = deadLetters.QueueArn },
            },
        });
        if (deadLetters is not null)
        {
            // The key statement already covers the queue's encryption (kms:GenerateDataKey on the same key).
            function.Role!.AddToPrincipalPolicy(Statement("DeadLetters", ["sqs:SendMessage"], [deadLetters.QueueArn]));
        }

        // Lambda checks the destination permission when the configuration is written.
        config.Node.AddDependency(function.Role!);
    }

    /// <summary>A dead-letter queue: KMS with the stack's key (one key for everything the stack stores), 14 days to redrive, TLS only.</summary>
    private Queue DeadLetterQueue(string id, Key key) => new(this, id, new QueueProps
    {
        Encryption = QueueEncryption.KMS,
        EncryptionMasterKey = key,
        RetentionPeriod = Duration.Days(14),
        EnforceSSL = true,
    });

    /// <summary>The reconciler runs every ReconcileEveryMinutes through EventBridge Scheduler, with a role that can invoke only it.</summary>
    private void ScheduleReconciler(CentralParameters p, Function reconciler, CfnScheduleGroup group)
    {
        var role = new Role(this, "ReconcileScheduleRole", new RoleProps
        {
            Description = "Lets EventBridge Scheduler invoke the SecHubFanout reconciler, and nothing else.",
            AssumedBy = SchedulerPrincipal(),
        });
        role.AddToPrincipalPolicy(Statement("InvokeReconciler", ["lambda:InvokeFunction"], [reconciler.FunctionArn]));

        var schedule = new CfnSchedule(this, "ReconcileSchedule", new CfnScheduleProps
        {
            Name = ReconcileScheduleName,
            GroupName = group.Name,
            Description = "Runs the SecHubFanout reconciler: silent Regions are failed, stuck exports finished.",
            ScheduleExpression = $"rate({p.ReconcileEveryMinutes.ValueAsString} minutes)",
            FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            State = "ENABLED",
            Target = new CfnSchedule.TargetProperty
            {
                Arn = reconciler.FunctionArn,
                RoleArn = role.RoleArn,
                Input = "{}",
                // The next tick is the retry.
                RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 0 },
            },
        });
        schedule.AddDependency(group);
        schedule.Node.AddDependency(role);
    }

    /// <summary>
    /// Launches an incremental export of the organization on the IncrementalExportSchedule parameter (none when it is empty), through
    /// a role that may invoke only the launcher. No retry: a launch that fails moves no watermark, so the next one covers the gap.
    /// </summary>
    private void ScheduleIncrementalExports(CentralParameters p, Function launcher, CfnScheduleGroup group)
    {
        // The policy is inline in the role, so the one condition leaves out both when there is no schedule.
        var role = new Role(this, "IncrementalExportScheduleRole", new RoleProps
        {
            Description = "Lets EventBridge Scheduler invoke the SecHubFanout launcher (incremental exports), and nothing else.",
            AssumedBy = SchedulerPrincipal(),
            InlinePolicies = new Dictionary<string, PolicyDocument>
            {
                ["InvokeLauncher"] = new PolicyDocument(new PolicyDocumentProps
                {
                    Statements = [Statement("InvokeLauncher", ["lambda:InvokeFunction"], [launcher.FunctionArn])],
                }),
            },
        });
        ((CfnRole)role.Node.DefaultChild!).CfnOptions.Condition = p.HasIncrementalSchedule;

        var schedule = new CfnSchedule(this, "IncrementalExports", new CfnScheduleProps
        {
            Name = IncrementalScheduleName,
            GroupName = group.Name,
            Description = "Launches an incremental SecHubFanout export: each account-Region exports what changed since its last completed export.",
            ScheduleExpression = p.IncrementalExportSchedule.ValueAsString,
            ScheduleExpressionTimezone = "UTC",
            FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            State = "ENABLED",
            Target = new CfnSchedule.TargetProperty
            {
                Arn = launcher.FunctionArn,
                RoleArn = role.RoleArn,
                // A LaunchRequest: a new incremental export of every target account, default Regions, default overlap.
                Input = IncrementalLaunchInput,
                RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 0 },
            },
        });
        schedule.CfnOptions.Condition = p.HasIncrementalSchedule;
        schedule.AddDependency(group);
        schedule.Node.AddDependency(role);
    }

    // Scheduler's confused-deputy guidance: aws:SourceArn must be the schedule group's ARN, not the schedule's (EventBridge
    // Scheduler User Guide, "Confused deputy prevention").
    private static IPrincipal SchedulerPrincipal() => new ServicePrincipal("scheduler.amazonaws.com").WithConditions(new Dictionary<string, object>
    {
        ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
        ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{Aws.PARTITION}:scheduler:{Aws.REGION}:{Aws.ACCOUNT_ID}:schedule-group/{ScheduleGroupName}" },
    });

    /// <summary>Alarms to the topic: anything in a dead-letter queue, and any error of a central function.</summary>
    private void CreateAlarms(Topic topic, (string Name, Queue Queue, string Description)[] deadLetterQueues, (string Name, Function Function)[] functions)
    {
        var toTopic = new SnsAction(topic);
        var period = Duration.Minutes(5);
        foreach (var (name, queue, description) in deadLetterQueues)
        {
            var alarm = new Alarm(this, queue.Node.Id + "Alarm", new AlarmProps
            {
                AlarmName = AlarmNamePrefix + name,
                AlarmDescription = "SecHubFanout: " + description,
                Metric = queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = period, Statistic = "Maximum" }),
                Threshold = 0,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                EvaluationPeriods = 1,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            });
            alarm.AddAlarmAction(toTopic);
        }

        foreach (var (name, function) in functions)
        {
            var alarm = new Alarm(this, function.Node.Id + "ErrorsAlarm", new AlarmProps
            {
                AlarmName = $"{AlarmNamePrefix}{name}-errors",
                AlarmDescription = $"SecHubFanout: the {name} function failed (see its log group).",
                Metric = function.MetricErrors(new MetricOptions { Period = period, Statistic = "Sum" }),
                Threshold = 0,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                EvaluationPeriods = 1,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            });
            alarm.AddAlarmAction(toTopic);
        }
    }

    private static string ShortHash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content))[..16];
}
