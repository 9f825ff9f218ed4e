using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Core.Analytics;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cdk.Tests;

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
        // The only wildcard action is the TLS-only deny on the buckets.
        Assert.IsTrue(denies.All(d => d["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToString() == "false"));
    }

    [TestMethod]
    public void OurFunctions_All_Dotnet10OnArm64WithRetainedLogs()
    {
        var ours = _central.Resources("AWS::Lambda::Function")
            .Where(f => ((string?)f.Value["Properties"]!["Handler"])?.StartsWith("SecHubFanout.", StringComparison.Ordinal) == true)
            .Select(f => f.Value["Properties"]!)
            .ToList();
        var others = _central.Resources("AWS::Lambda::Function").Count() - ours.Count;

        Assert.HasCount(2, ours);
        Assert.AreEqual(1, others, "only CDK's BucketDeployment handler is not ours");
        Assert.IsTrue(ours.All(f => (string?)f["Runtime"] == "dotnet10"));
        Assert.IsTrue(ours.All(f => f["Architectures"]!.ToJsonString() == "[\"arm64\"]"));
        Assert.IsTrue(ours.All(f => f["LoggingConfig"]?["LogGroup"] is not null));
        Assert.IsTrue(_central.Resources("AWS::Logs::LogGroup").All(g => g.Value["Properties"]!["RetentionInDays"]?.GetValue<int>() > 0));
    }

    [TestMethod]
    public void Key_RotationOnAndOrgExportersOnlyThroughS3InHomeRegion()
    {
        var key = _central.Single("AWS::KMS::Key")["Properties"]!;
        var orgStatement = key["KeyPolicy"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "OrganizationExportersThroughS3InHomeRegion")!;

        Assert.IsTrue(key["EnableKeyRotation"]!.GetValue<bool>());
        Assert.AreEqual("{\"Ref\":\"OrgId\"}", orgStatement["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
        Assert.AreEqual("{\"Fn::Join\":[\"\",[\"s3.\",{\"Ref\":\"AWS::Region\"},\".amazonaws.com\"]]}", orgStatement["Condition"]!["StringEquals"]!["kms:ViaService"]!.ToJsonString());
        StringAssert.Contains(orgStatement["Condition"]!["ArnLike"]!["aws:PrincipalArn"]!.ToJsonString(), ":iam::*:role/" + FanoutNames.ExporterRole);
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
        Assert.IsNotNull(bucket["LifecycleConfiguration"]);
    }

    [TestMethod]
    public void FindingsBucketPolicy_MemberWrites_ConfinedToOwnAccountPrefixInTheOrgWithTheKey()
    {
        var statements = FindingsBucketPolicyStatements();
        var put = statements.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("s3:PutObject"));
        var abort = statements.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("s3:AbortMultipartUpload"));

        foreach (var s in new[] { put, abort })
        {
            Assert.AreEqual("Allow", (string?)s["Effect"]);
            Assert.HasCount(1, SynthesizedTemplate.Strings(s["Action"]));
            StringAssert.EndsWith(s["Resource"]!.ToJsonString(), "\"/findings/account_id=${aws:PrincipalAccount}/*\"]]}");
            Assert.AreEqual("{\"Ref\":\"OrgId\"}", s["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
            StringAssert.Contains(s["Condition"]!["ArnLike"]!["aws:PrincipalArn"]!.ToJsonString(), ":iam::*:role/" + FanoutNames.ExporterRole + "\"");
        }

        var sse = put["Condition"]!["StringEqualsIfExists"]!;
        Assert.AreEqual("aws:kms", (string?)sse["s3:x-amz-server-side-encryption"]);
        Assert.AreEqual($"{{\"Fn::GetAtt\":[\"{_central.Resources("AWS::KMS::Key").Single().Key}\",\"Arn\"]}}", sse["s3:x-amz-server-side-encryption-aws-kms-key-id"]!.ToJsonString());
        Assert.HasCount(3, statements, "TLS deny, put, abort: nothing else for member accounts");
    }

    [TestMethod]
    public void FindingsBucketPolicy_NonTls_Denied()
    {
        var deny = FindingsBucketPolicyStatements().Single(s => (string?)s["Effect"] == "Deny");

        Assert.AreEqual("false", deny["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToString());
        Assert.AreEqual("s3:*", (string?)deny["Action"]);
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
    public void Ledger_OnDemandPitrCustomerKey()
    {
        _central.Template.HasResourceProperties("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
            ["SSESpecification"] = Match.ObjectLike(new Dictionary<string, object> { ["SSEEnabled"] = true, ["SSEType"] = "KMS", ["KMSMasterKeyId"] = Match.AnyValue() }),
            ["KeySchema"] = new object[]
            {
                new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" },
                new Dictionary<string, object> { ["AttributeName"] = "sk", ["KeyType"] = "RANGE" },
            },
        });
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
    public void ExporterInThisAccount_SameTemplateUnderCondition()
    {
        var stack = _central.Single("AWS::CloudFormation::Stack");
        var set = _central.Single("AWS::CloudFormation::StackSet");

        Assert.AreEqual("DeployExporterHere", (string?)stack["Condition"]);
        Assert.AreEqual(set["Properties"]!["TemplateURL"]!.ToJsonString(), stack["Properties"]!["TemplateURL"]!.ToJsonString());
    }

    [TestMethod]
    public void LauncherFunction_FixedNameThatTheCliInvokesByDefault()
    {
        var launcher = OurFunction("SecHubFanout.Coordinator.LauncherFunction");
        var output = _central.Root["Outputs"]!["LauncherFunctionName"]!["Value"]!;

        Assert.AreEqual(FanoutNames.LauncherFunction, (string?)launcher.Value["Properties"]!["FunctionName"]);
        Assert.AreEqual($"{{\"Ref\":\"{launcher.Key}\"}}", output.ToJsonString());
        Assert.AreEqual(900, launcher.Value["Properties"]!["Timeout"]!.GetValue<int>());
    }

    [TestMethod]
    public void LauncherRole_ExactlyWhatTheLauncherCalls()
    {
        var (roleId, role) = _central.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.LauncherRole);
        var statements = PolicyStatementsOf(roleId).ToDictionary(s => (string)s["Sid"]!);

        Assert.AreEqual(roleId, OurFunction("SecHubFanout.Coordinator.LauncherFunction").Value["Properties"]!["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.AreEqual("[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]", role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.ToJsonString());
        CollectionAssert.AreEquivalent(
            new[] { "OwnLogs", "Ledger", "Key", "Notify", "WriteManifests", "AssumeMemberTriggerRoles", "ListStackSetInstances", "DescribeRegions" },
            statements.Keys.ToList());
        AssertCommonStatements(statements, "LauncherLogs");
        AssertStatement(statements["AssumeMemberTriggerRoles"], ["sts:AssumeRole"], ":iam::*:role/" + FanoutNames.TriggerRole + "\"]]}");
        AssertStatement(statements["ListStackSetInstances"], ["cloudformation:ListStackInstances"], $":*:stackset/{Cdk.Stacks.CentralStack.StackSetName}:*\"]]}}");
        AssertStatement(statements["DescribeRegions"], ["ec2:DescribeRegions"], "\"*\"");
        Assert.AreEqual("\"*\"", statements["DescribeRegions"]["Resource"]!.ToJsonString());
    }

    [TestMethod]
    public void CoordinatorRole_ExactlyWhatTheCoordinatorCalls()
    {
        var coordinator = OurFunction("SecHubFanout.Coordinator.CoordinatorFunction");
        var roleId = coordinator.Value["Properties"]!["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        var statements = PolicyStatementsOf(roleId).ToDictionary(s => (string)s["Sid"]!);

        CollectionAssert.AreEquivalent(new[] { "OwnLogs", "Ledger", "Key", "Notify", "WriteManifests", "RegisterPartitions" }, statements.Keys.ToList());
        AssertCommonStatements(statements, "CoordinatorLogs");
        AssertStatement(statements["RegisterPartitions"], ["glue:GetTable", "glue:BatchCreatePartition"], ":glue:");
        var glue = statements["RegisterPartitions"]["Resource"]!.AsArray().Select(r => r!.ToJsonString()).ToList();
        Assert.HasCount(3, glue);
        Assert.ContainsSingle(glue.Where(r => r.EndsWith(":catalog\"]]}", StringComparison.Ordinal)));
        Assert.ContainsSingle(glue.Where(r => r.EndsWith($":database/{FindingsAnalytics.DatabaseName}\"]]}}", StringComparison.Ordinal)));
        Assert.ContainsSingle(glue.Where(r => r.EndsWith($":table/{FindingsAnalytics.DatabaseName}/{FindingsAnalytics.TableName}\"]]}}", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Bus_OrgPolicyAndRulesToCoordinatorAndTopic()
    {
        var policy = _central.Single("AWS::Events::EventBusPolicy")["Properties"]!;
        var rules = _central.Resources("AWS::Events::Rule").Select(r => r.Value["Properties"]!).ToList();

        Assert.AreEqual("{\"Ref\":\"OrgId\"}", policy["Statement"]!["Condition"]!["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
        var toCoordinator = rules.Single(r => r["Targets"]![0]!["Arn"]!.ToJsonString().Contains("Coordinator", StringComparison.Ordinal));
        Assert.AreEqual($"[\"{FanoutNames.RegionResultDetailType}\"]", toCoordinator["EventPattern"]!["detail-type"]!.ToJsonString());
        var failed = rules.Single(r => r["EventPattern"]!["detail"]?["status"]?.ToJsonString() == "[\"failed\"]");
        Assert.AreEqual($"{{\"Ref\":\"{_central.Resources("AWS::SNS::Topic").Single().Key}\"}}", failed["Targets"]![0]!["Arn"]!.ToJsonString());
    }

    [TestMethod]
    public void GlueTable_ColumnsAreTheSchemaWithoutPartitionNames()
    {
        var table = _central.Single("AWS::Glue::Table")["Properties"]!["TableInput"]!;
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

        CollectionAssert.AreEquivalent(AnalyticsViews.All.Select(v => v.Name).ToList(), queries.Select(q => (string)q["Name"]!).ToList());
        Assert.IsTrue(queries.All(q => (string?)q["WorkGroup"] == FindingsAnalytics.WorkGroupName && (string?)q["Database"] == FindingsAnalytics.DatabaseName));
        var latest = queries.Single(q => (string?)q["Name"] == "findings_latest");
        StringAssert.StartsWith((string)latest["QueryString"]!, $"CREATE OR REPLACE VIEW \"{FindingsAnalytics.DatabaseName}\".\"findings_latest\"");
        StringAssert.Contains((string)latest["QueryString"]!, $"\"{FindingsAnalytics.DatabaseName}\".\"{FindingsAnalytics.TableName}\"");
    }

    private static KeyValuePair<string, JsonObject> FindingsBucket() =>
        _central.Resources("AWS::S3::Bucket").Single(b => b.Value["Properties"]!["BucketEncryption"]!.ToJsonString().Contains("aws:kms", StringComparison.Ordinal));

    private static List<JsonObject> FindingsBucketPolicyStatements()
    {
        var bucketId = FindingsBucket().Key;
        var policy = _central.Resources("AWS::S3::BucketPolicy").Single(p => (string?)p.Value["Properties"]!["Bucket"]!["Ref"] == bucketId);
        return policy.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
    }

    private static KeyValuePair<string, JsonObject> OurFunction(string type) =>
        _central.Resources("AWS::Lambda::Function").Single(f => (string?)f.Value["Properties"]!["Handler"] == $"SecHubFanout.Coordinator::{type}::HandleAsync");

    // The statements both central roles need: their own log group, the ledger, the key behind the ledger, topic and manifests.
    private static void AssertCommonStatements(Dictionary<string, JsonObject> statements, string logGroupPrefix)
    {
        var table = _central.Resources("AWS::DynamoDB::Table").Single().Key;
        var key = _central.Resources("AWS::KMS::Key").Single().Key;
        var topic = _central.Resources("AWS::SNS::Topic").Single().Key;
        AssertStatement(statements["OwnLogs"], ["logs:CreateLogStream", "logs:PutLogEvents"], $"{{\"Fn::GetAtt\":[\"{logGroupPrefix}");
        AssertStatement(statements["Ledger"], ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], $"{{\"Fn::GetAtt\":[\"{table}\",\"Arn\"]}}");
        AssertStatement(statements["Key"], ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], $"{{\"Fn::GetAtt\":[\"{key}\",\"Arn\"]}}");
        AssertStatement(statements["Notify"], ["sns:Publish"], $"{{\"Ref\":\"{topic}\"}}");
        AssertStatement(statements["WriteManifests"], ["s3:PutObject"], $"{{\"Fn::GetAtt\":[\"{FindingsBucket().Key}\",\"Arn\"]}},\"/{FanoutNames.ManifestsPrefix}*\"]]}}");
    }

    private static void AssertStatement(JsonObject statement, string[] actions, string resourceContains)
    {
        Assert.AreEqual("Allow", (string?)statement["Effect"], statement.ToJsonString());
        Assert.IsNull(statement["Condition"], statement.ToJsonString());
        CollectionAssert.AreEquivalent(actions, SynthesizedTemplate.Strings(statement["Action"]).ToList(), statement.ToJsonString());
        var resources = statement["Resource"] is JsonArray many ? many.Select(r => r!.ToJsonString()).ToList() : [statement["Resource"]!.ToJsonString()];
        Assert.IsTrue(resources.All(r => r.Contains(resourceContains, StringComparison.Ordinal)), $"{statement["Sid"]}: {string.Join(", ", resources)} should all contain {resourceContains}");
    }

    private static List<JsonObject> PolicyStatementsOf(string roleId) =>
        _central.Resources("AWS::IAM::Policy")
            .Where(p => p.Value["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))
            .ToList();
}
