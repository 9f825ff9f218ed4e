using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Cdk.Stacks;
using SecHubFanout.Core.Deployment;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cdk.Tests;

[TestClass]
public sealed class MemberExporterStackTests
{
    private static SynthesizedTemplate _member = null!;

    [ClassInitialize]
    public static void Synthesize(TestContext context) => _member = SynthesizedStacks.Member;

    [TestMethod]
    public void Template_Parameters_AreTheDocumentedOnes()
    {
        var names = _member.Root["Parameters"]!.AsObject().Select(p => p.Key).Order().ToList();

        CollectionAssert.AreEqual(
            new[] { "ArtifactBucketName", "CentralAccountId", "CentralEventBusArn", "ExporterCodeKey", "ExporterMemorySize", "FindingsBucketName", "FindingsKeyArn", "MaxConcurrency", "Regions", "StreamFindings" },
            names);
        Assert.AreEqual("CommaDelimitedList", (string?)_member.Root["Parameters"]!["Regions"]!["Type"]);
        Assert.AreEqual(string.Empty, (string?)_member.Root["Parameters"]!["Regions"]!["Default"]);
        Assert.AreEqual("512", _member.Root["Parameters"]!["ExporterMemorySize"]!["Default"]!.ToJsonString().Trim('"'), "the size chosen from bench/README.md");
    }

    [TestMethod]
    public void IamStatements_Allow_HaveNoWildcardActions()
    {
        var actions = _member.Statements().Where(s => (string?)s["Effect"] == "Allow").SelectMany(s => SynthesizedTemplate.Strings(s["Action"])).ToList();

        Assert.IsNotEmpty(actions);
        Assert.IsEmpty(actions.Where(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal) || a.Contains('*', StringComparison.Ordinal)).ToList());
    }

    [TestMethod]
    public void ExporterRole_Actions_AreExactlyTheNeededOnes()
    {
        var actions = ExporterStatements().SelectMany(s => SynthesizedTemplate.Strings(s["Action"])).Order().ToList();

        CollectionAssert.AreEqual(
            new[]
            {
                "dynamodb:GetItem", "dynamodb:PutItem", "kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "s3:AbortMultipartUpload",
                "s3:PutObject", "securityhub:GetFindings", "ssm:PutParameter",
            },
            actions,
            "the DynamoDB pair reads and saves the Region checkpoints in the member's checkpoint table");
    }

    [TestMethod]
    public void CheckpointTable_Table_PkOnlyOnDemandExpiringAndKmsEncrypted()
    {
        var (_, table) = CheckpointTable();
        var properties = table["Properties"]!;

        Assert.AreEqual(FanoutNames.CheckpointTable, (string?)properties["TableName"]);
        Assert.AreEqual("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}]", properties["KeySchema"]!.ToJsonString(), "a partition key and no sort key");
        Assert.AreEqual("[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}]", properties["AttributeDefinitions"]!.ToJsonString());
        Assert.AreEqual("PAY_PER_REQUEST", (string?)properties["BillingMode"]);
        Assert.AreEqual("{\"AttributeName\":\"expiresAt\",\"Enabled\":true}", properties["TimeToLiveSpecification"]!.ToJsonString());
        // SSEEnabled true is KMS with the AWS managed key alias/aws/dynamodb (CloudFormation's SSESpecification); false or absent is an AWS owned key.
        var sse = properties["SSESpecification"]!;
        Assert.IsTrue(sse["SSEEnabled"]!.GetValue<bool>(), "KMS, not an AWS owned key");
        Assert.IsTrue(sse["SSEType"] is null || (string?)sse["SSEType"] == "KMS", sse.ToJsonString());
        Assert.IsNull(sse["KMSMasterKeyId"], "the AWS managed key");
        Assert.IsNull(properties["StreamSpecification"], "no stream: nobody reads checkpoint changes");
        Assert.IsFalse(properties["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"]?.GetValue<bool>() ?? false, "transient checkpoints expire within days");
        Assert.AreEqual("Delete", (string?)table["DeletionPolicy"], "transient checkpoints go with the stack");
        _member.Template.ResourceCountIs("AWS::DynamoDB::Table", 1);
    }

    [TestMethod]
    public void ExporterRole_Checkpoints_GetAndPutItemOnTheTableOnly()
    {
        var (tableId, _) = CheckpointTable();

        var checkpoints = ExporterStatements().Single(s => (string?)s["Sid"] == "OwnCheckpoints");

        CollectionAssert.AreEqual(new[] { "dynamodb:GetItem", "dynamodb:PutItem" }, SynthesizedTemplate.Strings(checkpoints["Action"]).Order().ToArray());
        Assert.AreEqual($"{{\"Fn::GetAtt\":[\"{tableId}\",\"Arn\"]}}", checkpoints["Resource"]!.ToJsonString(), "the table's own ARN, no index, no other table");
        Assert.AreEqual("Allow", (string?)checkpoints["Effect"]);
        Assert.IsNull(checkpoints["Condition"]);
        var everyDynamoDbAction = _member.Statements()
            .SelectMany(s => SynthesizedTemplate.Strings(s["Action"]))
            .Where(a => a.StartsWith("dynamodb:", StringComparison.OrdinalIgnoreCase))
            .Order()
            .ToArray();
        CollectionAssert.AreEqual(new[] { "dynamodb:GetItem", "dynamodb:PutItem" }, everyDynamoDbAction, "no other member statement grants DynamoDB");
    }

    [TestMethod]
    public void ExporterEnvironment_CheckpointTable_IsTheTablesName()
    {
        var (tableId, _) = CheckpointTable();

        var variables = _member.Single("AWS::Lambda::Function")["Properties"]!["Environment"]!["Variables"]!;

        Assert.AreEqual($"{{\"Ref\":\"{tableId}\"}}", variables[ExporterEnvironment.CheckpointTable]!.ToJsonString());
    }

    [TestMethod]
    public void ExporterRole_S3Write_OnlyBelowOwnAccountPrefix()
    {
        var s3 = ExporterStatements().Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("s3:PutObject"));

        var join = s3["Resource"]!["Fn::Join"]![1]!.AsArray().Select(p => p!.ToJsonString()).ToList();
        var prefixAt = join.IndexOf("\"/findings/account_id=\"");
        Assert.IsGreaterThan(0, prefixAt, s3.ToJsonString());
        Assert.AreEqual("{\"Ref\":\"FindingsBucketName\"}", join[prefixAt - 1]);
        Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", join[prefixAt + 1]);
        Assert.AreEqual("\"/*\"", join[prefixAt + 2]);
        Assert.HasCount(prefixAt + 3, join);
    }

    [TestMethod]
    public void ExporterRole_Kms_OnlyThroughS3InThisRegion()
    {
        var kms = ExporterStatements().Single(s => SynthesizedTemplate.Strings(s["Action"]).Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));

        Assert.AreEqual("{\"Ref\":\"FindingsKeyArn\"}", kms["Resource"]!.ToJsonString());
        var viaService = kms["Condition"]!["StringEquals"]!["kms:ViaService"]!.ToJsonString();
        Assert.AreEqual("{\"Fn::Join\":[\"\",[\"s3.\",{\"Ref\":\"AWS::Region\"},\".amazonaws.com\"]]}", viaService);
    }

    [TestMethod]
    public void ExporterRole_WildcardResource_OnlyForGetFindings()
    {
        var starResources = ExporterStatements().Where(s => s["Resource"]!.ToJsonString() == "\"*\"").SelectMany(s => SynthesizedTemplate.Strings(s["Action"])).ToList();

        CollectionAssert.AreEqual(new[] { "securityhub:GetFindings" }, starResources);
    }

    [TestMethod]
    public void TriggerRole_Trust_OnlyTheCentralLauncherRole()
    {
        var role = _member.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.TriggerRole).Value;

        var trust = role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Single()!;
        Assert.AreEqual("sts:AssumeRole", (string?)trust["Action"]);
        Assert.AreEqual(
            "{\"AWS\":{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":iam::\",{\"Ref\":\"CentralAccountId\"},\":role/" + FanoutNames.LauncherRole + "\"]]}}",
            trust["Principal"]!.ToJsonString());
    }

    [TestMethod]
    public void TriggerRole_Permissions_StartOnTheStateMachineFollowAndStopItsExecutionsDescribeRegions()
    {
        var (roleId, _) = _member.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.TriggerRole);
        var machineId = _member.Resources("AWS::StepFunctions::StateMachine").Single().Key;

        var statements = PolicyStatementsOf(roleId).ToList();

        Assert.HasCount(3, statements);
        var start = statements.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("states:StartExecution"));
        CollectionAssert.AreEqual(new[] { "states:StartExecution", "states:ListExecutions" }, SynthesizedTemplate.Strings(start["Action"]).ToArray());
        Assert.AreEqual($"{{\"Ref\":\"{machineId}\"}}", start["Resource"]!.ToJsonString());
        var follow = statements.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("states:StopExecution"));
        CollectionAssert.AreEquivalent(new[] { "states:DescribeExecution", "states:StopExecution" }, SynthesizedTemplate.Strings(follow["Action"]).ToArray());
        Assert.AreEqual(
            "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":states:\",{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":execution:" + FanoutNames.MemberStateMachine + ":*\"]]}",
            follow["Resource"]!.ToJsonString(),
            "executions of this state machine only");
        var regions = statements.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("ec2:DescribeRegions"));
        CollectionAssert.AreEqual(new[] { "ec2:DescribeRegions" }, SynthesizedTemplate.Strings(regions["Action"]).ToArray());
        Assert.AreEqual("\"*\"", regions["Resource"]!.ToJsonString(), "DescribeRegions has no resource-level permissions");
        Assert.IsTrue(statements.All(s => s["Condition"] is null && (string?)s["Effect"] == "Allow"));
        Assert.IsNull(_member.Resources("AWS::IAM::Role").Single(r => r.Key == roleId).Value["Properties"]!["ManagedPolicyArns"]);
    }

    [TestMethod]
    public void StateMachineRole_FixedNameAssumedByStepFunctions()
    {
        var machine = _member.Single("AWS::StepFunctions::StateMachine");
        var (roleId, role) = _member.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.StateMachineRole);

        Assert.AreEqual($"{{\"Fn::GetAtt\":[\"{roleId}\",\"Arn\"]}}", machine["Properties"]!["RoleArn"]!.ToJsonString());
        Assert.AreEqual("[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"states.amazonaws.com\"}}]", role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.ToJsonString());
    }

    [TestMethod]
    public void StateMachineRole_StartExecution_OnlyOnItselfByName()
    {
        var roleId = _member.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.StateMachineRole).Key;
        var statements = PolicyStatementsOf(roleId).ToList();

        var start = statements.Where(s => SynthesizedTemplate.Strings(s["Action"]).Any(a => a.StartsWith("states:", StringComparison.Ordinal))).Single();

        CollectionAssert.AreEqual(new[] { "states:StartExecution" }, SynthesizedTemplate.Strings(start["Action"]).ToArray());
        // Built from the name, not {"Ref": machine}: the definition's own role cannot reference the machine (circular).
        Assert.AreEqual(
            "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":states:\",{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":stateMachine:" + FanoutNames.MemberStateMachine + "\"]]}",
            start["Resource"]!.ToJsonString());
        CollectionAssert.AreEquivalent(
            new[] { "ec2:DescribeRegions", "events:PutEvents", "lambda:InvokeFunction", "states:StartExecution" },
            statements.SelectMany(s => SynthesizedTemplate.Strings(s["Action"])).Where(a => !a.StartsWith("logs:", StringComparison.Ordinal)).ToArray(),
            "besides log delivery: describe Regions, invoke the exporter, send to the bus, continue itself");
        var put = statements.Single(s => SynthesizedTemplate.Strings(s["Action"]).Contains("events:PutEvents"));
        Assert.AreEqual("{\"Ref\":\"CentralEventBusArn\"}", put["Resource"]!.ToJsonString());
    }

    [TestMethod]
    public void Functions_All_Dotnet10OnArm64WithTheirLimits()
    {
        _member.Template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Runtime"] = "dotnet10",
            ["Architectures"] = new[] { "arm64" },
            ["Handler"] = "SecHubFanout.Exporter::SecHubFanout.Exporter.ExporterFunction::HandleAsync",
            ["Timeout"] = 900,
            ["MemorySize"] = new Dictionary<string, object> { ["Ref"] = "ExporterMemorySize" },
            ["Code"] = new Dictionary<string, object>
            {
                ["S3Bucket"] = new Dictionary<string, object> { ["Ref"] = "ArtifactBucketName" },
                ["S3Key"] = new Dictionary<string, object> { ["Ref"] = "ExporterCodeKey" },
            },
            ["Environment"] = new Dictionary<string, object>
            {
                ["Variables"] = new Dictionary<string, object>
                {
                    ["TIME_BUDGET_SECONDS"] = (900 - MemberExporterStack.ExporterSafetyMarginSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["COUNT_PARAMETER_PREFIX"] = FanoutNames.CountParameterPrefix,
                    ["DOTNET_GCConserveMemory"] = "7",
                    ["DOTNET_TieredPGO"] = "0",
                    ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
                },
            },
        });
        _member.Template.ResourceCountIs("AWS::Lambda::Function", 1);
    }

    [TestMethod]
    public void LogGroups_All_HaveRetention()
    {
        var groups = _member.Resources("AWS::Logs::LogGroup").ToList();

        Assert.HasCount(2, groups);
        Assert.IsTrue(groups.All(g => g.Value["Properties"]!["RetentionInDays"]?.GetValue<int>() > 0));
    }

    [TestMethod]
    public void StatusForwarding_Rule_TerminalStatusesOfThisStateMachineToTheCentralBusWithTheNamedRole()
    {
        var rule = _member.Resources("AWS::Events::Rule").Single(r => r.Value["Properties"]!["EventPattern"]!["source"]![0]!.ToString() == FanoutNames.ExecutionStatusSource).Value["Properties"]!;
        var machineId = _member.Resources("AWS::StepFunctions::StateMachine").Single().Key;
        var (roleId, role) = _member.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.EventForwarderRole);

        Assert.AreEqual("[\"aws.states\"]", rule["EventPattern"]!["source"]!.ToJsonString());
        Assert.AreEqual($"[\"{FanoutNames.ExecutionStatusDetailType}\"]", rule["EventPattern"]!["detail-type"]!.ToJsonString());
        Assert.AreEqual($"[{{\"Ref\":\"{machineId}\"}}]", rule["EventPattern"]!["detail"]!["stateMachineArn"]!.ToJsonString());
        CollectionAssert.AreEquivalent(new[] { "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" }, SynthesizedTemplate.Strings(rule["EventPattern"]!["detail"]!["status"]).ToArray());
        var target = rule["Targets"]!.AsArray().Single()!;
        Assert.AreEqual("{\"Ref\":\"CentralEventBusArn\"}", target["Arn"]!.ToJsonString());
        Assert.AreEqual($"{{\"Fn::GetAtt\":[\"{roleId}\",\"Arn\"]}}", target["RoleArn"]!.ToJsonString());
        Assert.AreEqual("{\"Service\":\"events.amazonaws.com\"}", role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!.ToJsonString());
        var put = PolicyStatementsOf(roleId).Single();
        Assert.AreEqual("events:PutEvents", (string?)put["Action"]);
        Assert.AreEqual("{\"Ref\":\"CentralEventBusArn\"}", put["Resource"]!.ToJsonString());
    }

    [TestMethod]
    public void StateMachine_Definition_PassesAslValidator()
    {
        var asl = ResolvedDefinition();

        var (exitCode, output) = AslDefinition.Validate(asl);

        Assert.AreEqual(0, exitCode, output);
    }

    [TestMethod]
    public void AslValidator_BrokenDefinition_Fails()
    {
        var asl = ResolvedDefinition();
        asl["States"]!["ExportRegions"]!["Next"] = "NoSuchState";

        var (exitCode, _) = AslDefinition.Validate(asl);

        Assert.AreNotEqual(0, exitCode);
    }

    [TestMethod]
    public void StateMachine_RegionLoop_RetriesLambdaErrorsCatchesAndLoopsOnCheckpoint()
    {
        var asl = ResolvedDefinition();
        var map = asl["States"]!["ExportRegions"]!;
        var loop = map["ItemProcessor"]!["States"]!;
        var invoke = loop["ExportPage"]!;

        Assert.AreEqual("Map", (string?)map["Type"]);
        Assert.AreEqual(8, map["MaxConcurrency"]!.GetValue<int>());
        CollectionAssert.AreEquivalent(
            new[] { "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException" },
            SynthesizedTemplate.Strings(invoke["Retry"]![0]!["ErrorEquals"]).ToArray());
        Assert.AreEqual(2, invoke["Retry"]![0]!["BackoffRate"]!.GetValue<int>());
        Assert.AreEqual("States.ALL", (string?)invoke["Catch"]![0]!["ErrorEquals"]![0]);
        Assert.AreEqual("MorePages?", (string?)invoke["Next"]);
        Assert.AreEqual("NextPage", (string?)loop["MorePages?"]!["Default"]);
        Assert.AreEqual("ExportPage", (string?)loop["NextPage"]!["Next"]);
        Assert.AreEqual("$.result.checkpoint", (string?)loop["NextPage"]!["Parameters"]!["checkpoint.$"]);
        Assert.AreEqual("$.result.counts", (string?)loop["NextPage"]!["Parameters"]!["counts.$"], "counts add up over a Region's invocations");
        CollectionAssert.AreEquivalent(
            new[]
            {
                "exportId.$", "accountId", "region.$", "api.$", "filters.$", "since.$", "until.$", "attempt.$", "checkpoint.$", "counts.$", "continuation.$",
                "invocations", "executionStartTime.$", "handOverAfterSeconds", "destination",
            },
            map["ItemSelector"]!.AsObject().Select(p => p.Key).ToArray(),
            "the exporter input: the launcher's fields per Region, a handed-over checkpoint, the loop's budget and where to write");
        var crash = invoke["Retry"]![1]!;
        CollectionAssert.IsSubsetOf(new[] { "Sandbox.Timedout", "Lambda.Unknown", "States.Timeout", "States.TaskFailed" }, SynthesizedTemplate.Strings(crash["ErrorEquals"]).ToArray());
        Assert.AreEqual(ExporterStateMachine.CrashRetries, crash["MaxAttempts"]!.GetValue<int>());
        Assert.AreEqual("FULL", (string?)crash["JitterStrategy"]);
        Assert.AreEqual("$.result", (string?)invoke["ResultPath"], "the answer never replaces the checkpoint a retry resumes from");
        Assert.AreEqual("failed", (string?)loop["RegionFailed"]!["Parameters"]!["result"]!["status"]);
        Assert.AreEqual("$.counts", (string?)loop["RegionFailed"]!["Parameters"]!["result"]!["counts.$"], "a failed Region reports what it stored before");
        // The API choice (v1 by default) travels from the execution input to every invocation and into a hand-over's execution.
        Assert.AreEqual("$.args.api", (string?)map["ItemSelector"]!["api.$"]);
        Assert.AreEqual("$.api", (string?)loop["NextPage"]!["Parameters"]!["api.$"]);
        StringAssert.Contains((string)asl["States"]!["ApplyDefaults"]!["Parameters"]!["value.$"]!, "\"api\":\"v1\"", "an execution without api pages GetFindings");

        // The attempt travels from the execution input through every iteration into each Region result (the ledger fences restarts with it).
        Assert.AreEqual("$.args.attempt", (string?)map["ItemSelector"]!["attempt.$"]);
        StringAssert.Contains((string)asl["States"]!["ApplyDefaults"]!["Parameters"]!["value.$"]!, "\"attempt\":0", "an execution started by hand is attempt 0");
        foreach (var state in new[] { "NextPage", "RegionFailed" })
        {
            Assert.AreEqual("$.attempt", (string?)loop[state]!["Parameters"]!["attempt.$"], state);
        }

        Assert.AreEqual("$.attempt", (string?)loop["RegionEvent"]!["Parameters"]!["ids"]!["attempt.$"]);
        Assert.AreEqual("$.args.counts", (string?)map["ItemSelector"]!["counts.$"]);
        StringAssert.Contains((string)asl["States"]!["ApplyDefaults"]!["Parameters"]!["value.$"]!, "\"counts\":\\{\\}", "every Region's loop starts with empty counts, so $.counts always exists");
        StringAssert.Contains((string)loop["FlattenRegionEvent"]!["Parameters"]!["detail.$"]!, "$.result.counts", "counts are lifted to the top level of the event");
        Assert.AreEqual(FanoutNames.RegionResultDetailType, (string?)loop["SendRegionResult"]!["Parameters"]!["Entries"]![0]!["DetailType"]);
        Assert.AreEqual(FanoutNames.EventSource, (string?)loop["SendRegionResult"]!["Parameters"]!["Entries"]![0]!["Source"]);
        Assert.AreEqual(FanoutNames.AccountSummaryDetailType, (string?)asl["States"]!["SendAccountSummary"]!["Parameters"]!["Entries"]![0]!["DetailType"]);
        Assert.AreEqual("arn:aws:states:::aws-sdk:ec2:describeRegions", (string?)asl["States"]!["EnabledRegions"]!["Resource"]);
    }

    [TestMethod]
    public void StateMachine_HandOverAge_LeavesTheRunningInvocationAndItsRetriesBeforeTheTimeout()
    {
        var asl = ResolvedDefinition();
        var map = asl["States"]!["ExportRegions"]!;
        var invoke = map["ItemProcessor"]!["States"]!["ExportPage"]!;
        var timeout = asl["TimeoutSeconds"]!.GetValue<int>();
        var taskTimeout = invoke["TimeoutSeconds"]!.GetValue<int>();

        // After the hand-over age one more invocation may run: itself and every crash retry at the task timeout, every retry at its longest backoff.
        var retries = invoke["Retry"]!.AsArray().Sum(r => r!["MaxAttempts"]!.GetValue<int>());
        var worstAfterHandOverAge = ((1 + ExporterStateMachine.CrashRetries) * taskTimeout) + (retries * 60);

        Assert.AreEqual(24 * 3600, timeout);
        Assert.AreEqual((int)MemberExporterStack.ExporterTimeout.ToSeconds() + 120, taskTimeout);
        Assert.AreEqual(ExporterStateMachine.HandOverAfterSeconds, map["ItemSelector"]!["handOverAfterSeconds"]!.GetValue<int>());
        Assert.IsLessThan(timeout - ExporterStateMachine.HandOverAfterSeconds, worstAfterHandOverAge);
    }

    [TestMethod]
    public void StateMachine_Name_IsTheSharedOne()
    {
        _member.Template.HasResourceProperties("AWS::StepFunctions::StateMachine", new Dictionary<string, object>
        {
            ["StateMachineName"] = FanoutNames.MemberStateMachine,
            ["LoggingConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["Level"] = "ERROR" }),
        });
    }

    [TestMethod]
    public void CheckedInTemplate_ComparedWithFreshSynth_IsCurrent()
    {
        var path = Path.Combine(RepoPaths.Root, Cdk.MemberTemplate.RelativePath);

        var checkedIn = File.ReadAllText(path).ReplaceLineEndings("\n");

        Assert.AreEqual(_member.Json, checkedIn,
            $"{Cdk.MemberTemplate.RelativePath} is stale: regenerate it with `dotnet run --project cdk/SecHubFanout.Cdk -- member-template {Cdk.MemberTemplate.RelativePath}`");
    }

    private static JsonObject ResolvedDefinition()
    {
        var machine = _member.Single("AWS::StepFunctions::StateMachine");
        return AslDefinition.Resolve(machine["Properties"]!["DefinitionString"]!, _member.Root["Parameters"]!.AsObject());
    }

    private static KeyValuePair<string, JsonObject> CheckpointTable() =>
        _member.Resources("AWS::DynamoDB::Table").Single(t => (string?)t.Value["Properties"]!["TableName"] == FanoutNames.CheckpointTable);

    private static IEnumerable<JsonObject> ExporterStatements()
    {
        var roleId = _member.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.ExporterRole).Key;
        return PolicyStatementsOf(roleId);
    }

    private static IEnumerable<JsonObject> PolicyStatementsOf(string roleId) =>
        _member.Resources("AWS::IAM::Policy")
            .Where(p => p.Value["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));
}
