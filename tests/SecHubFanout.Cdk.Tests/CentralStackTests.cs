using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Cdk.Stacks;
using SecHubFanout.Core.Analytics;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Schema;
using static SecHubFanout.Cdk.Tests.CentralTemplate;

namespace SecHubFanout.Cdk.Tests;

/// <summary>The central stack's data and its protection: key, buckets, ledger, topic, StackSet, Glue/Athena.</summary>
[TestClass]
public sealed class CentralStackTests
{
    private static SynthesizedTemplate _central = null!;

    [ClassInitialize]
    public static void Synthesize(TestContext context) => _central = SynthesizedStacks.Central;

    [TestMethod]
    public void IamStatements_Allow_HaveNoWildcardActions()
    {
        var allows = _central.Statements().Where(s => (string?)s["Effect"] == "Allow").SelectMany(s => SynthesizedTemplate.Strings(s["Action"])).ToList();
        var denies = _central.Statements().Where(s => (string?)s["Effect"] == "Deny").ToList();

        Assert.IsNotEmpty(allows);
        Assert.IsEmpty(allows.Where(a => a.Contains('*', StringComparison.Ordinal)).ToList());
        // The only wildcard actions are the TLS-only denies (buckets, queue); the one other deny is the findings bucket's SSE-C deny.
        var others = denies.Where(d => d["Condition"]?["Bool"]?["aws:SecureTransport"]?.ToString() != "false").ToList();
        Assert.AreEqual("DenyCustomerProvidedKeys", (string?)others.Single()["Sid"]);
    }

    [TestMethod]
    public void LogGroups_EveryFunction_LogsToAGroupKeptLogRetentionDays()
    {
        var functions = _central.Resources("AWS::Lambda::Function").Select(f => f.Value["Properties"]!).ToList();
        var groups = _central.Resources("AWS::Logs::LogGroup").ToList();

        Assert.HasCount(5, functions, "launcher, coordinator, reconciler, stream writer and CDK's BucketDeployment handler");
        Assert.HasCount(functions.Count, groups, "one group per function: none is left to Lambda's never-expiring default group");
        Assert.IsTrue(functions.All(f => groups.Any(g => f["LoggingConfig"]?["LogGroup"]?.ToJsonString() == $"{{\"Ref\":\"{g.Key}\"}}")));
        Assert.IsTrue(groups.All(g => g.Value["Properties"]!["RetentionInDays"]!.ToJsonString() == "{\"Ref\":\"LogRetentionDays\"}"));
    }

    [TestMethod]
    public void LogRetentionDays_Parameter_CloudWatchValuesWithDefault90()
    {
        var parameter = _central.Root["Parameters"]!["LogRetentionDays"]!;

        Assert.AreEqual("Number", (string?)parameter["Type"]);
        Assert.AreEqual(90, parameter["Default"]!.GetValue<int>());
        CollectionAssert.AreEqual(
            new[] { "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653" },
            parameter["AllowedValues"]!.AsArray().Select(v => (string)v!).ToList());
    }

    [TestMethod]
    public void Key_RotationOnAndOrgExportersOnlyThroughS3InHomeRegion()
    {
        var key = _central.Single("AWS::KMS::Key")["Properties"]!;
        var orgStatement = KeyStatement("OrganizationExportersThroughS3InHomeRegion");

        Assert.IsTrue(key["EnableKeyRotation"]!.GetValue<bool>());
        Assert.AreEqual("{\"Ref\":\"OrgId\"}", orgStatement["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
        Assert.AreEqual("{\"Fn::Join\":[\"\",[\"s3.\",{\"Ref\":\"AWS::Region\"},\".amazonaws.com\"]]}", orgStatement["Condition"]!["StringEquals"]!["kms:ViaService"]!.ToJsonString());
        StringAssert.Contains(orgStatement["Condition"]!["ArnLike"]!["aws:PrincipalArn"]!.ToJsonString(), ":iam::*:role/" + FanoutNames.ExporterRole);
    }

    [TestMethod]
    public void Key_OrgExporters_NoEncryptAndOnlyForTheFindingsBucketAsABucketKeyContext()
    {
        var orgStatement = KeyStatement("OrganizationExportersThroughS3InHomeRegion");
        var bucketName = Flat(FindingsBucket().Value["Properties"]!["BucketName"]);

        CollectionAssert.AreEquivalent(new[] { "kms:GenerateDataKey", "kms:Decrypt" }, SynthesizedTemplate.Strings(orgStatement["Action"]).ToList());
        // With an S3 Bucket Key the context is the bucket's ARN: an object-ARN condition would deny every upload.
        Assert.AreEqual($"arn:${{AWS::Partition}}:s3:::{bucketName}", Flat(orgStatement["Condition"]!["StringEquals"]!["kms:EncryptionContext:aws:s3:arn"]));
        Assert.AreEqual("sechub-fanout-findings-${AWS::AccountId}-${AWS::Region}", bucketName);
        Assert.IsTrue(FindingsBucket().Value["Properties"]!["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["BucketKeyEnabled"]!.GetValue<bool>());
    }

    [TestMethod]
    public void Key_ServicePrincipals_OnlyDeadLetterDeliveryAndAlarmsScopedToThisAccount()
    {
        var services = _central.Single("AWS::KMS::Key")["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray()
            .Where(s => s!["Principal"]?["Service"] is not null)
            .ToDictionary(s => (string)s!["Principal"]!["Service"]!, s => s!.AsObject());
        // Rules on the central bus carry its name in their ARN; the stream's rule on the default bus does not.
        var ruleArns = _central.Resources("AWS::Events::Rule")
            .Select(r => r.Value["Properties"]!["EventBusName"] is null
                ? $"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{(string)r.Value["Properties"]!["Name"]!}"
                : $"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{CentralStack.CentralBusName}/{(string)r.Value["Properties"]!["Name"]!}")
            .ToList();

        CollectionAssert.AreEquivalent(new[] { "events.amazonaws.com", "cloudwatch.amazonaws.com" }, services.Keys.ToList());
        foreach (var statement in services.Values)
        {
            CollectionAssert.AreEquivalent(new[] { "kms:GenerateDataKey", "kms:Decrypt" }, SynthesizedTemplate.Strings(statement["Action"]).ToList());
            Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", statement["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.ToJsonString());
        }

        // EventBridge only for the stack's rules: the coordinator rules' dead letters, the stream rules' queue and dead letters (no SNS
        // targets remain that would need it).
        CollectionAssert.AreEquivalent(ruleArns, FlatAll(services["events.amazonaws.com"]["Condition"]!["ArnEquals"]!["aws:SourceArn"]));
        Assert.HasCount(4, ruleArns);
    }

    [TestMethod]
    public void FindingsBucket_EncryptionOwnershipVersioningPublicAccess()
    {
        var bucket = FindingsBucket().Value["Properties"]!;
        var sse = bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!;

        Assert.AreEqual("aws:kms", (string?)sse["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        Assert.IsTrue(sse["BucketKeyEnabled"]!.GetValue<bool>());
        Assert.AreEqual("Enabled", (string?)bucket["VersioningConfiguration"]!["Status"]);
        Assert.AreEqual("BucketOwnerEnforced", (string?)bucket["OwnershipControls"]!["Rules"]![0]!["ObjectOwnership"]);
        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.IsTrue(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" }.All(k => block[k]!.GetValue<bool>()));
    }

    [TestMethod]
    public void FindingsBucket_Lifecycle_OverwrittenVersionsKeptAsLongAsTheFindings()
    {
        var rules = LifecycleRules();
        var findings = rules.Single(r => (string?)r["Id"] == "FindingsTiering");

        Assert.AreEqual(FanoutNames.FindingsPrefix, (string?)findings["Prefix"]);
        Assert.AreEqual("{\"Ref\":\"FindingsExpirationDays\"}", findings["ExpirationInDays"]!.ToJsonString());
        Assert.AreEqual("{\"Ref\":\"FindingsExpirationDays\"}", findings["NoncurrentVersionExpiration"]!["NoncurrentDays"]!.ToJsonString(), "never 30 days: an overwrite must not destroy a past export");
        Assert.IsNull(findings["NoncurrentVersionExpiration"]!["NewerNoncurrentVersions"]);
        Assert.AreEqual(7, findings["AbortIncompleteMultipartUpload"]!["DaysAfterInitiation"]!.GetValue<int>());
        Assert.IsTrue(rules.Single(r => (string?)r["Id"] == "FindingsDeleteMarkers")["ExpiredObjectDeleteMarker"]!.GetValue<bool>());
        // Nothing else may expire anything below findings/ sooner.
        Assert.IsTrue(rules.Where(r => ((string?)r["Prefix"] ?? string.Empty).StartsWith(FanoutNames.FindingsPrefix, StringComparison.Ordinal) || r["Prefix"] is null)
            .All(r => r["NoncurrentVersionExpiration"] is null || r["NoncurrentVersionExpiration"]!["NoncurrentDays"]!.ToJsonString() == "{\"Ref\":\"FindingsExpirationDays\"}"));
    }

    [TestMethod]
    public void FindingsBucket_Lifecycle_QueryResultsExpireCompletely()
    {
        var rules = LifecycleRules().Where(r => (string?)r["Prefix"] == FindingsAnalytics.ResultsPrefix).ToList();
        var results = rules.Single(r => r["ExpirationInDays"] is not null);

        Assert.AreEqual(30, results["ExpirationInDays"]!.GetValue<int>());
        Assert.AreEqual(1, results["NoncurrentVersionExpiration"]!["NoncurrentDays"]!.GetValue<int>(), "the versioned bucket would otherwise keep every result forever");
        Assert.AreEqual(1, results["AbortIncompleteMultipartUpload"]!["DaysAfterInitiation"]!.GetValue<int>());
        Assert.IsTrue(rules.Single(r => r["ExpirationInDays"] is null)["ExpiredObjectDeleteMarker"]!.GetValue<bool>());
    }

    [TestMethod]
    public void FindingsBucketPolicy_MemberWrites_ConfinedToOwnAccountPrefixInTheOrgWithTheKey()
    {
        var statements = BucketPolicyStatements(FindingsBucket().Key);
        var allows = statements.Where(s => (string?)s["Effect"] == "Allow").ToList();
        var put = allows.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("s3:PutObject"));
        var abort = allows.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("s3:AbortMultipartUpload"));

        foreach (var s in new[] { put, abort })
        {
            Assert.HasCount(1, SynthesizedTemplate.Strings(s["Action"]));
            StringAssert.EndsWith(s["Resource"]!.ToJsonString(), "\"/findings/account_id=${aws:PrincipalAccount}/*\"]]}");
            Assert.AreEqual("{\"Ref\":\"OrgId\"}", s["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
            StringAssert.Contains(s["Condition"]!["ArnLike"]!["aws:PrincipalArn"]!.ToJsonString(), ":iam::*:role/" + FanoutNames.ExporterRole + "\"");
        }

        var sse = put["Condition"]!["StringEqualsIfExists"]!;
        Assert.AreEqual("aws:kms", (string?)sse["s3:x-amz-server-side-encryption"]);
        Assert.AreEqual($"{{\"Fn::GetAtt\":[\"{KeyId}\",\"Arn\"]}}", sse["s3:x-amz-server-side-encryption-aws-kms-key-id"]!.ToJsonString());
        Assert.HasCount(2, allows, "put and abort: nothing else for member accounts");
        Assert.HasCount(4, statements, "TLS deny, SSE-C deny, put, abort");
    }

    [TestMethod]
    public void FindingsBucketPolicy_CustomerProvidedKeys_DeniedForEveryone()
    {
        var deny = BucketPolicyStatements(FindingsBucket().Key).Single(s => (string?)s["Sid"] == "DenyCustomerProvidedKeys");

        Assert.AreEqual("Deny", (string?)deny["Effect"]);
        Assert.AreEqual("{\"AWS\":\"*\"}", deny["Principal"]!.ToJsonString());
        Assert.AreEqual("s3:PutObject", (string?)deny["Action"]);
        Assert.AreEqual($"${{{FindingsBucket().Key}.Arn}}/*", Flat(deny["Resource"]));
        Assert.AreEqual("{\"Null\":{\"s3:x-amz-server-side-encryption-customer-algorithm\":\"false\"}}", deny["Condition"]!.ToJsonString());
    }

    [TestMethod]
    public void FindingsBucketPolicy_NonTls_Denied()
    {
        var deny = BucketPolicyStatements(FindingsBucket().Key).Single(s => (string?)s["Effect"] == "Deny" && s["Sid"] is null);

        Assert.AreEqual("false", deny["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToString());
        Assert.AreEqual("s3:*", (string?)deny["Action"]);
    }

    [TestMethod]
    public void AccessLogs_FindingsBucketLogsToAnSseS3BucketOnlyS3LoggingMayWrite()
    {
        var findings = FindingsBucket();
        var logging = findings.Value["Properties"]!["LoggingConfiguration"]!;
        var logsId = (string)logging["DestinationBucketName"]!["Ref"]!;
        var logs = _central.Root["Resources"]![logsId]!["Properties"]!;
        var statements = BucketPolicyStatements(logsId);
        var delivery = statements.Single(s => (string?)s["Effect"] == "Allow");

        Assert.AreEqual(CentralStack.FindingsAccessLogsPrefix, (string?)logging["LogFilePrefix"]);
        Assert.AreEqual("AES256", (string?)logs["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"], "S3 access logs cannot target SSE-KMS");
        Assert.AreEqual("BucketOwnerEnforced", (string?)logs["OwnershipControls"]!["Rules"]![0]!["ObjectOwnership"]);
        Assert.IsNull(logs["AccessControl"], "no LogDeliveryWrite ACL");
        var block = logs["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.IsTrue(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" }.All(k => block[k]!.GetValue<bool>()));
        Assert.AreEqual("{\"Ref\":\"LogRetentionDays\"}", logs["LifecycleConfiguration"]!["Rules"]![0]!["ExpirationInDays"]!.ToJsonString());
        Assert.AreEqual("false", statements.Single(s => (string?)s["Effect"] == "Deny")["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToString());
        Assert.AreEqual("{\"Service\":\"logging.s3.amazonaws.com\"}", delivery["Principal"]!.ToJsonString());
        Assert.AreEqual("s3:PutObject", (string?)delivery["Action"]);
        Assert.AreEqual($"${{{logsId}.Arn}}/{CentralStack.FindingsAccessLogsPrefix}*", Flat(delivery["Resource"]));
        Assert.AreEqual($"${{{findings.Key}.Arn}}", Flat(delivery["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        Assert.IsNotNull(delivery["Condition"]!["StringEquals"]!["aws:SourceAccount"]);
    }

    [TestMethod]
    public void ArtifactBucket_ReadableByTheOrgOnly()
    {
        var policies = _central.Resources("AWS::S3::BucketPolicy").Select(p => p.Value["Properties"]!).ToList();
        var read = policies.SelectMany(p => p["PolicyDocument"]!["Statement"]!.AsArray()).Single(s => (string?)s!["Sid"] == "OrganizationReadsArtifacts")!;

        Assert.AreEqual("s3:GetObject", (string?)read["Action"]);
        Assert.AreEqual("{\"Ref\":\"OrgId\"}", read["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
    }

    [TestMethod]
    public void Ledger_OnDemandPitrCustomerKeyDeletionProtectedAndRetained()
    {
        _central.Template.HasResource("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
            ["Properties"] = new Dictionary<string, object>
            {
                ["BillingMode"] = "PAY_PER_REQUEST",
                ["DeletionProtectionEnabled"] = true,
                ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
                ["SSESpecification"] = Match.ObjectLike(new Dictionary<string, object> { ["SSEEnabled"] = true, ["SSEType"] = "KMS", ["KMSMasterKeyId"] = Match.AnyValue() }),
                ["KeySchema"] = new object[]
                {
                    new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" },
                    new Dictionary<string, object> { ["AttributeName"] = "sk", ["KeyType"] = "RANGE" },
                },
            },
        });
    }

    [TestMethod]
    public void Ledger_FailuresIndex_SparseStringKeysProjectingAll()
    {
        var table = _central.Single("AWS::DynamoDB::Table")["Properties"]!;
        var index = table["GlobalSecondaryIndexes"]!.AsArray().Single()!;
        var types = table["AttributeDefinitions"]!.AsArray().ToDictionary(a => (string)a!["AttributeName"]!, a => (string)a!["AttributeType"]!);

        Assert.AreEqual(FanoutNames.LedgerFailuresIndex, (string?)index["IndexName"]);
        Assert.AreEqual(
            $"[{{\"AttributeName\":\"{FanoutNames.LedgerFailuresPartitionKey}\",\"KeyType\":\"HASH\"}},{{\"AttributeName\":\"{FanoutNames.LedgerFailuresSortKey}\",\"KeyType\":\"RANGE\"}}]",
            index["KeySchema"]!.ToJsonString());
        Assert.AreEqual("ALL", (string?)index["Projection"]!["ProjectionType"]);
        Assert.AreEqual("S", types[FanoutNames.LedgerFailuresPartitionKey]);
        Assert.AreEqual("S", types[FanoutNames.LedgerFailuresSortKey]);
    }

    [TestMethod]
    public void Topic_EncryptedAndEmailSubscriptionConditional()
    {
        var topic = _central.Single("AWS::SNS::Topic")["Properties"]!;
        var subscription = _central.Single("AWS::SNS::Subscription");

        Assert.IsNotNull(topic["KmsMasterKeyId"]);
        Assert.AreEqual("HasNotificationEmail", (string?)subscription["Condition"]);
        Assert.AreEqual("{\"Ref\":\"NotificationEmail\"}", subscription["Properties"]!["Endpoint"]!.ToJsonString());
    }

    [TestMethod]
    public void StackSet_ServiceManagedAutoDeployedFromTheArtifactBucket()
    {
        var set = _central.Single("AWS::CloudFormation::StackSet")["Properties"]!;

        Assert.AreEqual("SERVICE_MANAGED", (string?)set["PermissionModel"]);
        Assert.IsTrue(set["AutoDeployment"]!["Enabled"]!.GetValue<bool>());
        Assert.IsFalse(set["AutoDeployment"]!["RetainStacksOnAccountRemoval"]!.GetValue<bool>());
        Assert.AreEqual("[\"CAPABILITY_NAMED_IAM\"]", set["Capabilities"]!.ToJsonString());
        Assert.IsTrue(set["ManagedExecution"]!["Active"]!.GetValue<bool>());
        Assert.AreEqual("PARALLEL", (string?)set["OperationPreferences"]!["RegionConcurrencyType"]);
        Assert.AreEqual("{\"Ref\":\"CallAs\"}", set["CallAs"]!.ToJsonString());
        var instances = set["StackInstancesGroup"]![0]!;
        Assert.AreEqual("{\"Ref\":\"TargetOuIds\"}", instances["DeploymentTargets"]!["OrganizationalUnitIds"]!.ToJsonString());
        Assert.AreEqual("[{\"Ref\":\"AWS::Region\"}]", instances["Regions"]!.ToJsonString());
        StringAssert.Contains(set["TemplateURL"]!.ToJsonString(), "/member-exporter.template.json");
        var parameters = set["Parameters"]!.AsArray().Select(x => (string)x!["ParameterKey"]!).Order().ToList();
        var memberParameters = SynthesizedStacks.Member.Root["Parameters"]!.AsObject().Select(x => x.Key).Order().ToList();
        CollectionAssert.AreEqual(memberParameters, parameters, "every member parameter is wired");
        // Deployed through the central stack, members get the same defaults as from the member template.
        foreach (var (central, member) in new[] { ("ExporterMemorySize", "ExporterMemorySize"), ("RegionConcurrency", "MaxConcurrency") })
        {
            Assert.AreEqual(
                SynthesizedStacks.Member.Root["Parameters"]![member]!["Default"]!.ToJsonString(),
                _central.Root["Parameters"]![central]!["Default"]!.ToJsonString(),
                central);
        }
    }

    [TestMethod]
    public void StackSet_OneFailedMemberInASmallOrg_NeverFailsTheOperation()
    {
        var preferences = _central.Single("AWS::CloudFormation::StackSet")["Properties"]!["OperationPreferences"]!.AsObject();

        Assert.AreEqual(100, preferences["FailureTolerancePercentage"]!.GetValue<int>());
        Assert.AreEqual(100, preferences["MaxConcurrentPercentage"]!.GetValue<int>());
        Assert.AreEqual("SOFT_FAILURE_TOLERANCE", (string?)preferences["ConcurrencyMode"]);
        Assert.IsNull(preferences["FailureToleranceCount"], "count and percentage are exclusive");
        Assert.IsNull(preferences["MaxConcurrentCount"]);
    }

    [TestMethod]
    public void ExporterInThisAccount_SameTemplateUnderCondition()
    {
        var stack = _central.Single("AWS::CloudFormation::Stack");
        var set = _central.Single("AWS::CloudFormation::StackSet");

        Assert.AreEqual("DeployExporterHere", (string?)stack["Condition"]);
        Assert.AreEqual(set["Properties"]!["TemplateURL"]!.ToJsonString(), stack["Properties"]!["TemplateURL"]!.ToJsonString());
        Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", stack["Properties"]!["Parameters"]!["CentralAccountId"]!.ToJsonString());
    }

    [TestMethod]
    public void GlueOcsfTable_ColumnsAndPartitionKeysAreTheOcsfSchemaTheEncoderWrites()
    {
        var table = _central.Resources("AWS::Glue::Table").Select(t => t.Value["Properties"]!["TableInput"]!).Single(t => (string?)t["Name"] == FindingsAnalytics.OcsfTableName);
        var partitionNames = FindingSchema.PartitionKeys.Select(p => p.Name).ToList();

        Assert.AreEqual(FindingsAnalytics.OcsfTableName, FindingTable.Ocsf.Name);
        CollectionAssert.AreEqual(partitionNames, table["PartitionKeys"]!.AsArray().Select(c => (string)c!["Name"]!).ToList());
        CollectionAssert.AreEqual(
            OcsfFindingSchema.Columns.Where(c => !partitionNames.Contains(c.Name)).Select(c => (c.Name, GlueTypes.Of(c.Type))).ToList(),
            table["StorageDescriptor"]!["Columns"]!.AsArray().Select(c => ((string)c!["Name"]!, (string)c!["Type"]!)).ToList());
        var types = table["StorageDescriptor"]!["Columns"]!.AsArray().ToDictionary(c => (string)c!["Name"]!, c => (string)c!["Type"]!);
        Assert.AreEqual("timestamp", types["modified_time"]);
        Assert.AreEqual("int", types["class_uid"]);
        Assert.AreEqual("array<string>", types["resource_types"]);
        Assert.AreEqual("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", (string?)table["StorageDescriptor"]!["SerdeInfo"]!["SerializationLibrary"]);
    }

    [TestMethod]
    public void GlueTable_ColumnsAreTheSchemaWithoutPartitionNames()
    {
        var table = _central.Resources("AWS::Glue::Table").Select(t => t.Value["Properties"]!["TableInput"]!).Single(t => (string?)t["Name"] == FindingsAnalytics.TableName);
        var partitionNames = FindingSchema.PartitionKeys.Select(p => p.Name).ToList();

        CollectionAssert.AreEqual(partitionNames, table["PartitionKeys"]!.AsArray().Select(c => (string)c!["Name"]!).ToList());
        CollectionAssert.AreEqual(
            FindingSchema.Columns.Where(c => !partitionNames.Contains(c.Name)).Select(c => c.Name).ToList(),
            table["StorageDescriptor"]!["Columns"]!.AsArray().Select(c => (string)c!["Name"]!).ToList());
        Assert.IsTrue(FindingSchema.Columns.Any(c => partitionNames.Contains(c.Name)), "the schema does have a partition-named column (export_id)");
        var types = table["StorageDescriptor"]!["Columns"]!.AsArray().ToDictionary(c => (string)c!["Name"]!, c => (string)c!["Type"]!);
        Assert.AreEqual("timestamp", types["updated_at"]);
        Assert.AreEqual("array<string>", types["resource_types"]);
        Assert.AreEqual("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", (string?)table["StorageDescriptor"]!["SerdeInfo"]!["SerializationLibrary"]);
    }

    [TestMethod]
    public void AthenaWorkGroup_EnforcedAndKmsEncryptedResults()
    {
        var config = _central.Single("AWS::Athena::WorkGroup")["Properties"]!["WorkGroupConfiguration"]!;

        Assert.IsTrue(config["EnforceWorkGroupConfiguration"]!.GetValue<bool>());
        Assert.AreEqual("SSE_KMS", (string?)config["ResultConfiguration"]!["EncryptionConfiguration"]!["EncryptionOption"]);
        StringAssert.Contains(config["ResultConfiguration"]!["OutputLocation"]!.ToJsonString(), FindingsAnalytics.ResultsPrefix);
    }

    [TestMethod]
    public void NamedQueries_OnePerAnalyticsView_CreatingTheViewInTheWorkGroup()
    {
        var queries = _central.Resources("AWS::Athena::NamedQuery").Select(q => q.Value["Properties"]!).ToList();

        CollectionAssert.AreEquivalent(AnalyticsViews.All.Concat(AnalyticsViews.Ocsf).Select(v => v.Name).ToList(), queries.Select(q => (string)q["Name"]!).ToList());
        Assert.IsTrue(queries.All(q => (string?)q["WorkGroup"] == FindingsAnalytics.WorkGroupName && (string?)q["Database"] == FindingsAnalytics.DatabaseName));
        var latest = queries.Single(q => (string?)q["Name"] == "findings_latest");
        StringAssert.StartsWith((string)latest["QueryString"]!, $"CREATE OR REPLACE VIEW \"{FindingsAnalytics.DatabaseName}\".\"findings_latest\"");
        StringAssert.Contains((string)latest["QueryString"]!, $"\"{FindingsAnalytics.DatabaseName}\".\"{FindingsAnalytics.TableName}\"");
        var controls = (string)queries.Single(q => (string?)q["Name"] == "findings_ocsf_failing_controls")["QueryString"]!;
        StringAssert.Contains(controls, $"\"{FindingsAnalytics.DatabaseName}\".\"{FindingsAnalytics.OcsfTableName}\"");
        Assert.IsFalse(controls.Contains($"\"{FindingsAnalytics.TableName}\"", StringComparison.Ordinal), "an OCSF view reads only the OCSF table");
    }

    private static List<JsonObject> LifecycleRules() =>
        FindingsBucket().Value["Properties"]!["LifecycleConfiguration"]!["Rules"]!.AsArray().Select(r => r!.AsObject()).ToList();
}
