using System.Security.Cryptography;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudFormation;
using CfnStack = Amazon.CDK.AWS.CloudFormation.CfnStack;
using CfnStackProps = Amazon.CDK.AWS.CloudFormation.CfnStackProps;
using CfnStackSet = Amazon.CDK.AWS.CloudFormation.CfnStackSet;
using CfnStackSetProps = Amazon.CDK.AWS.CloudFormation.CfnStackSetProps;
using EventBus = Amazon.CDK.AWS.Events.EventBus;
using EventBusProps = Amazon.CDK.AWS.Events.EventBusProps;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;
using StorageClass = Amazon.CDK.AWS.S3.StorageClass;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Core.Deployment;
using Function = Amazon.CDK.AWS.Lambda.Function;
using FunctionProps = Amazon.CDK.AWS.Lambda.FunctionProps;

namespace SecHubFanout.Cdk.Stacks;

/// <summary>
/// The central (security tooling / delegated administrator) account's stack in the home Region: the KMS key and findings bucket,
/// the artifact bucket, the central bus and its rules, the ledger, the launcher and coordinator, Glue/Athena, and the StackSet
/// that rolls the member exporter out to the organization.
/// </summary>
public sealed class CentralStack : Stack
{
    /// <summary>The StackSet's name.</summary>
    public const string StackSetName = "SecHubFanout-member-exporter";

    // The calls DynamoDbLedger makes.
    private static readonly string[] _ledgerActions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"];

    private static readonly string[] _keyUseActions = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

    public CentralStack(Construct scope, string id, CentralStackProps props)
        : base(scope, id, props)
    {
        props.Artifacts.EnsureExist();
        var p = new Parameters(this);

        var key = CreateKey(p);
        var findings = CreateFindingsBucket(p, key);
        var (artifacts, exporterCodeKey, templateUrl, deployments) = CreateArtifactBucket(p, props.Artifacts);

        var bus = new EventBus(this, "CentralBus", new EventBusProps { EventBusName = "sechub-fanout" });
        _ = new CfnEventBusPolicy(this, "CentralBusOrgPolicy", new CfnEventBusPolicyProps
        {
            EventBusName = bus.EventBusName,
            StatementId = "OrganizationExporters",
            Statement = new Dictionary<string, object>
            {
                ["Effect"] = "Allow",
                ["Principal"] = "*",
                ["Action"] = "events:PutEvents",
                ["Resource"] = bus.EventBusArn,
                ["Condition"] = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = p.OrgId.ValueAsString },
                },
            },
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

        var ledger = new Table(this, "Ledger", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            Encryption = TableEncryption.CUSTOMER_MANAGED,
            EncryptionKey = key,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        var analytics = new FindingsAnalytics(this, "Analytics", new FindingsAnalyticsProps
        {
            Bucket = findings,
            Key = key,
        });

        var environment = new Dictionary<string, string>
        {
            ["LEDGER_TABLE"] = ledger.TableName,
            ["TOPIC_ARN"] = topic.TopicArn,
            ["FINDINGS_BUCKET"] = findings.BucketName,
            ["FINDINGS_KMS_KEY_ARN"] = key.KeyArn,
            ["STACK_SET_NAME"] = StackSetName,
            ["CALL_AS"] = p.CallAs.ValueAsString,
            ["DEFAULT_REGIONS"] = Fn.Join(",", p.Regions.ValueAsList),
            ["MAX_CONCURRENCY"] = p.AccountConcurrency.ValueAsString,
            ["GLUE_DATABASE"] = FindingsAnalytics.DatabaseName,
            ["GLUE_TABLE"] = FindingsAnalytics.TableName,
            ["ATHENA_WORKGROUP"] = FindingsAnalytics.WorkGroupName,
        };

        // What each function's code calls, and nothing more (CentralServices wires it): both write the ledger (a table encrypted with
        // the key), and both may finish an export, which writes the manifest (SSE-KMS) and mails through the topic (encrypted with the
        // key). The launcher records an account it could not start through the coordinator, so a launch can be the export's last step.
        var launcher = CreateFunction("Launcher", FanoutNames.LauncherRole, FanoutNames.LauncherFunction, "SecHubFanout.Coordinator.LauncherFunction",
            "Starts an org-wide export: ledger rows, then the member state machine of every account through its TriggerRole.",
            props.Artifacts.CoordinatorDirectory, environment, Duration.Minutes(15));
        var coordinator = CreateFunction("Coordinator", null, null, "SecHubFanout.Coordinator.CoordinatorFunction",
            "Tracks Region results in the ledger, registers Glue partitions, writes the manifest and mails the summary.",
            props.Artifacts.CoordinatorDirectory, environment, Duration.Minutes(5));
        foreach (var role in new[] { launcher.Role!, coordinator.Role! })
        {
            role.AddToPrincipalPolicy(Statement("Ledger", _ledgerActions, [ledger.TableArn]));
            role.AddToPrincipalPolicy(Statement("Key", _keyUseActions, [key.KeyArn]));
            role.AddToPrincipalPolicy(Statement("Notify", ["sns:Publish"], [topic.TopicArn]));
            role.AddToPrincipalPolicy(Statement("WriteManifests", ["s3:PutObject"], [findings.ArnForObjects(FanoutNames.ManifestsPrefix + "*")]));
        }

        launcher.Role!.AddToPrincipalPolicy(Statement("AssumeMemberTriggerRoles", ["sts:AssumeRole"], [$"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.TriggerRole}"]));
        // The stack always sets STACK_SET_NAME, so the launcher lists the StackSet's instances (never Organizations ListAccounts).
        launcher.Role.AddToPrincipalPolicy(Statement("ListStackSetInstances", ["cloudformation:ListStackInstances"],
            [$"arn:{Aws.PARTITION}:cloudformation:{Aws.REGION}:*:stackset/{StackSetName}:*"]));
        // With an empty Regions parameter the launcher exports the Regions enabled here; DescribeRegions has no resource-level permissions.
        launcher.Role.AddToPrincipalPolicy(Statement("DescribeRegions", ["ec2:DescribeRegions"], ["*"]));
        coordinator.Role!.AddToPrincipalPolicy(Statement("RegisterPartitions", ["glue:GetTable", "glue:BatchCreatePartition"],
            [analytics.CatalogArn, analytics.DatabaseArn, analytics.TableArn]));

        var results = new Rule(this, "RegionResultsRule", new RuleProps
        {
            EventBus = bus,
            Description = "Every Region result from the member exporters goes to the coordinator.",
            EventPattern = new EventPattern { Source = [FanoutNames.EventSource], DetailType = [FanoutNames.RegionResultDetailType] },
        });
        results.AddTarget(new LambdaFunction(coordinator, new LambdaFunctionProps { RetryAttempts = 8 }));

        var failures = new Rule(this, "RegionFailuresRule", new RuleProps
        {
            EventBus = bus,
            Description = "A failed Region is mailed as it happens, not only in the final summary.",
            EventPattern = new EventPattern
            {
                Source = [FanoutNames.EventSource],
                DetailType = [FanoutNames.RegionResultDetailType],
                Detail = new Dictionary<string, object> { ["status"] = new[] { "failed" } },
            },
        });
        failures.AddTarget(new SnsTopic(topic, new SnsTopicProps
        {
            Message = RuleTargetInput.FromText(
                $"SecHubFanout export {EventField.FromPath("$.detail.exportId")}: Region {EventField.FromPath("$.detail.region")} of account " +
                $"{EventField.FromPath("$.detail.accountId")} failed: {EventField.FromPath("$.detail.error")}"),
        }));

        var executionFailures = new Rule(this, "ExecutionFailuresRule", new RuleProps
        {
            EventBus = bus,
            Description = "A member export execution that failed, timed out or was aborted (forwarded by the member stack).",
            EventPattern = new EventPattern
            {
                Source = ["aws.states"],
                DetailType = ["Step Functions Execution Status Change"],
                Detail = new Dictionary<string, object> { ["status"] = new[] { "FAILED", "TIMED_OUT", "ABORTED" } },
            },
        });
        executionFailures.AddTarget(new SnsTopic(topic, new SnsTopicProps
        {
            Message = RuleTargetInput.FromText(
                $"SecHubFanout: member export execution {EventField.FromPath("$.detail.executionArn")} in account {EventField.FromPath("$.account")} " +
                $"ended {EventField.FromPath("$.detail.status")}."),
        }));

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
            OperationPreferences = new CfnStackSet.OperationPreferencesProperty
            {
                MaxConcurrentPercentage = 100,
                FailureTolerancePercentage = 10,
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

        // Service-managed StackSets never deploy to the management account: this deploys the same template here.
        var ownExporter = new CfnStack(this, "ExporterInThisAccount", new CfnStackProps
        {
            TemplateUrl = templateUrl,
            Parameters = memberParameters,
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

    private Key CreateKey(Parameters p)
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
        policy.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "OrganizationExportersThroughS3InHomeRegion",
            Principals = [new AnyPrincipal()],
            Actions = ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["aws:PrincipalOrgID"] = p.OrgId.ValueAsString,
                    ["kms:ViaService"] = $"s3.{Aws.REGION}.amazonaws.com",
                },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = $"arn:{Aws.PARTITION}:iam::*:role/{FanoutNames.ExporterRole}" },
            },
        }));
        // EventBridge publishes failure notices to the encrypted topic.
        policy.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EventBridgeToEncryptedTopic",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
            },
        }));

        return new Key(this, "FindingsKey", new KeyProps
        {
            Description = "SecHubFanout: findings bucket, ledger, notifications and query results.",
            EnableKeyRotation = true,
            Alias = "alias/sechub-fanout",
            Policy = policy,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    private Bucket CreateFindingsBucket(Parameters p, Key key)
    {
        var bucket = new Bucket(this, "FindingsBucket", new BucketProps
        {
            Encryption = BucketEncryption.KMS,
            EncryptionKey = key,
            BucketKeyEnabled = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Versioned = true,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "FindingsTiering",
                    Prefix = FanoutNames.FindingsPrefix,
                    Transitions = [new Transition { StorageClass = StorageClass.INTELLIGENT_TIERING, TransitionAfter = Duration.Days(p.TransitionDays.ValueAsNumber) }],
                    Expiration = Duration.Days(p.ExpirationDays.ValueAsNumber),
                    NoncurrentVersionExpiration = Duration.Days(30),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
                new LifecycleRule { Id = "QueryResults", Prefix = FindingsAnalytics.ResultsPrefix, Expiration = Duration.Days(30) },
            ],
        });

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

    private (Bucket Bucket, string ExporterCodeKey, string TemplateUrl, BucketDeployment[] Deployments) CreateArtifactBucket(Parameters p, ArtifactPaths artifacts)
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

        var code = new BucketDeployment(this, "ExporterCode", new BucketDeploymentProps
        {
            DestinationBucket = bucket,
            DestinationKeyPrefix = Path.GetDirectoryName(codeKey)!.Replace('\\', '/') + "/",
            Sources = [Source.Asset(Path.GetDirectoryName(artifacts.ExporterZip)!, new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = ["*", "!exporter.zip"] })],
            Prune = false,
            RetainOnDelete = true,
        });
        var template = new BucketDeployment(this, "MemberTemplate", new BucketDeploymentProps
        {
            DestinationBucket = bucket,
            Sources = [Source.Data(templateKey, templateText)],
            Prune = false,
            RetainOnDelete = true,
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
        var policy = (CfnPolicy)deployment.HandlerRole.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        policy.AddPropertyOverride("PolicyDocument.Statement", new object[]
        {
            new Dictionary<string, object> { ["Sid"] = "ReadAssets", ["Effect"] = "Allow", ["Action"] = "s3:GetObject", ["Resource"] = assetsBucket + "/*" },
            new Dictionary<string, object> { ["Sid"] = "ListDestination", ["Effect"] = "Allow", ["Action"] = "s3:ListBucket", ["Resource"] = destination.BucketArn },
            new Dictionary<string, object> { ["Sid"] = "WriteDestination", ["Effect"] = "Allow", ["Action"] = "s3:PutObject", ["Resource"] = destination.ArnForObjects("*") },
        });
    }

    private Function CreateFunction(string id, string? roleName, string? functionName, string type, string description, string codeDirectory, Dictionary<string, string> environment, Duration timeout)
    {
        var role = new Role(this, id + "Role", new RoleProps
        {
            RoleName = roleName,
            Description = description,
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
        });
        var logGroup = new LogGroup(this, id + "Logs", new LogGroupProps
        {
            Retention = RetentionDays.THREE_MONTHS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
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
            Environment = environment,
        });
        return function;
    }

    private static string ShortHash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content))[..16];

    /// <summary>The stack's CloudFormation parameters and conditions.</summary>
    private sealed class Parameters
    {
        public Parameters(Stack stack)
        {
            OrgId = new CfnParameter(stack, "OrgId", new CfnParameterProps
            {
                Type = "String",
                AllowedPattern = "^o-[a-z0-9]{10,32}$",
                Description = "AWS Organizations ID (o-...): only principals of this organization may write findings, read artifacts, send events.",
            });
            TargetOuIds = new CfnParameter(stack, "TargetOuIds", new CfnParameterProps
            {
                Type = "CommaDelimitedList",
                Description = "OU IDs (ou-... or the root r-...) whose accounts get the member exporter; new accounts get it automatically.",
            });
            CallAs = new CfnParameter(stack, "CallAs", new CfnParameterProps
            {
                Type = "String",
                Default = "SELF",
                AllowedValues = ["SELF", "DELEGATED_ADMIN"],
                Description = "SELF in the management account, DELEGATED_ADMIN in a StackSets delegated administrator account.",
            });
            Regions = new CfnParameter(stack, "Regions", new CfnParameterProps
            {
                Type = "CommaDelimitedList",
                Default = string.Empty,
                Description = "Regions to export by default; empty = every Region enabled in each account.",
            });
            RegionConcurrency = new CfnParameter(stack, "RegionConcurrency", new CfnParameterProps
            {
                Type = "Number", Default = MemberExporterDefaults.RegionConcurrency, MinValue = 1, MaxValue = MemberExporterDefaults.MaxRegionConcurrency,
                Description = "Regions exported at the same time in each account.",
            });
            AccountConcurrency = new CfnParameter(stack, "AccountConcurrency", new CfnParameterProps
            {
                Type = "Number", Default = 20, MinValue = 1, MaxValue = 200,
                Description = "Accounts the launcher starts at the same time.",
            });
            ExporterMemorySize = new CfnParameter(stack, "ExporterMemorySize", new CfnParameterProps
            {
                Type = "Number",
                Default = MemberExporterDefaults.ExporterMemorySizeMb,
                MinValue = MemberExporterDefaults.MinExporterMemorySizeMb,
                MaxValue = MemberExporterDefaults.MaxExporterMemorySizeMb,
                Description = "Exporter Lambda memory in MB in every member account (512 MB fits one Region per invocation, see bench/README.md).",
            });
            TransitionDays = new CfnParameter(stack, "FindingsTransitionDays", new CfnParameterProps
            {
                Type = "Number", Default = 30, MinValue = 0,
                Description = "Days after which exported findings move to S3 Intelligent-Tiering.",
            });
            ExpirationDays = new CfnParameter(stack, "FindingsExpirationDays", new CfnParameterProps
            {
                Type = "Number", Default = 1825, MinValue = 1,
                Description = "Days after which exported findings are deleted.",
            });
            NotificationEmail = new CfnParameter(stack, "NotificationEmail", new CfnParameterProps
            {
                Type = "String",
                Default = string.Empty,
                Description = "Optional address subscribed to completion and failure emails (confirm the subscription mail).",
            });
            DeployExporterInThisAccount = new CfnParameter(stack, "DeployExporterInThisAccount", new CfnParameterProps
            {
                Type = "String",
                Default = "false",
                AllowedValues = ["true", "false"],
                Description = "Also deploy the member exporter into this account (StackSets never deploy to the management account). " +
                    "Leave false if this account is in a target OU: it would get the exporter twice.",
            });

            HasNotificationEmail = new CfnCondition(stack, "HasNotificationEmail", new CfnConditionProps
            {
                Expression = Fn.ConditionNot(Fn.ConditionEquals(NotificationEmail.ValueAsString, string.Empty)),
            });
            DeployExporterHere = new CfnCondition(stack, "DeployExporterHere", new CfnConditionProps
            {
                Expression = Fn.ConditionEquals(DeployExporterInThisAccount.ValueAsString, "true"),
            });
        }

        public CfnParameter OrgId { get; }

        public CfnParameter TargetOuIds { get; }

        public CfnParameter CallAs { get; }

        public CfnParameter Regions { get; }

        public CfnParameter RegionConcurrency { get; }

        public CfnParameter AccountConcurrency { get; }

        public CfnParameter ExporterMemorySize { get; }

        public CfnParameter TransitionDays { get; }

        public CfnParameter ExpirationDays { get; }

        public CfnParameter NotificationEmail { get; }

        public CfnParameter DeployExporterInThisAccount { get; }

        public CfnCondition HasNotificationEmail { get; }

        public CfnCondition DeployExporterHere { get; }
    }
}
