using System.Text.Json.Nodes;
using SecHubFanout.Cdk.Constructs;
using SecHubFanout.Cdk.Stacks;
using SecHubFanout.Core.Deployment;
using static SecHubFanout.Cdk.Tests.CentralTemplate;

namespace SecHubFanout.Cdk.Tests;

/// <summary>The central stack's control plane: the three functions, their roles and environment, the bus, rules, schedule, dead letters and alarms.</summary>
[TestClass]
public sealed class CentralControlPlaneTests
{
    private static SynthesizedTemplate _central = null!;

    [ClassInitialize]
    public static void Synthesize(TestContext context) => _central = SynthesizedStacks.Central;

    [TestMethod]
    [DataRow(LauncherType, 900)]
    [DataRow(CoordinatorType, 300)]
    [DataRow(ReconcilerType, 300)]
    public void Functions_EachCentralHandler_Dotnet10OnArm64WithItsOwnRoleAndTimeout(string type, int timeout)
    {
        var function = OurFunction(type).Value["Properties"]!;
        var roles = new[] { LauncherType, CoordinatorType, ReconcilerType }.Select(RoleOf).ToList();

        Assert.AreEqual("dotnet10", (string?)function["Runtime"]);
        Assert.AreEqual("[\"arm64\"]", function["Architectures"]!.ToJsonString());
        Assert.AreEqual(timeout, function["Timeout"]!.GetValue<int>());
        Assert.AreEqual(3, roles.Distinct().Count(), "launcher, coordinator and reconciler each have their own role");
        Assert.HasCount(4, _central.Resources("AWS::Lambda::Function").Where(f => ((string?)f.Value["Properties"]!["Handler"])?.StartsWith("SecHubFanout.Coordinator::", StringComparison.Ordinal) == true).ToList(), "and the stream writer (FindingsStreamTests)");
    }

    [TestMethod]
    public void LauncherFunction_FixedNameThatTheCliInvokesByDefault()
    {
        var launcher = OurFunction(LauncherType);
        var output = _central.Root["Outputs"]!["LauncherFunctionName"]!["Value"]!;

        Assert.AreEqual(FanoutNames.LauncherFunction, (string?)launcher.Value["Properties"]!["FunctionName"]);
        Assert.AreEqual($"{{\"Ref\":\"{launcher.Key}\"}}", output.ToJsonString());
    }

    [TestMethod]
    [DataRow(LauncherType)]
    [DataRow(CoordinatorType)]
    [DataRow(ReconcilerType)]
    public void Environment_EveryCentralFunction_GetsEveryCentralVariable(string type)
    {
        var function = OurFunction(type).Value["Properties"]!;
        var variables = function["Environment"]!["Variables"]!.AsObject();
        var launcherVariables = OurFunction(LauncherType).Value["Properties"]!["Environment"]!["Variables"]!.AsObject();

        CollectionAssert.AreEquivalent(CentralEnvironment.All.ToList(), variables.Select(v => v.Key).ToList());
        Assert.AreEqual(function["Timeout"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)variables[CentralEnvironment.FunctionTimeoutSeconds]);
        Assert.AreEqual("{\"Ref\":\"SilentRegionDeadlineMinutes\"}", variables[CentralEnvironment.ReconcileAfterMinutes]!.ToJsonString());
        Assert.AreEqual("{\"Ref\":\"DeployExporterInThisAccount\"}", variables[CentralEnvironment.IncludeThisAccount]!.ToJsonString());
        Assert.AreEqual(FanoutNames.LedgerFailuresIndex, (string?)variables[CentralEnvironment.LedgerFailuresIndex]);
        Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", variables[CentralEnvironment.FindingsBucketOwner]!.ToJsonString());
        Assert.AreEqual(CentralStack.StackSetName, (string?)variables[CentralEnvironment.StackSetName]);
        foreach (var name in CentralEnvironment.All.Where(n => n != CentralEnvironment.FunctionTimeoutSeconds))
        {
            Assert.AreEqual(launcherVariables[name]!.ToJsonString(), variables[name]!.ToJsonString(), $"{name} is the same for every central function");
        }
    }

    [TestMethod]
    public void Parameters_ReconcilerSettings_DefaultsOutlastTheMemberExecution()
    {
        var parameters = _central.Root["Parameters"]!;
        var machine = SynthesizedStacks.Member.Single("AWS::StepFunctions::StateMachine")["Properties"]!;
        var asl = AslDefinition.Resolve(machine["DefinitionString"]!, SynthesizedStacks.Member.Root["Parameters"]!.AsObject());

        Assert.AreEqual(5, parameters["ReconcileEveryMinutes"]!["Default"]!.GetValue<int>());
        Assert.AreEqual(2, parameters["ReconcileEveryMinutes"]!["MinValue"]!.GetValue<int>(), "rate(1 minutes) is not a valid expression");
        Assert.AreEqual(1500, parameters["SilentRegionDeadlineMinutes"]!["Default"]!.GetValue<int>());
        // A Region is silent only once its member execution can no longer report anything: past the execution's own timeout.
        Assert.AreEqual(asl["TimeoutSeconds"]!.GetValue<int>() + 3600, parameters["SilentRegionDeadlineMinutes"]!["Default"]!.GetValue<int>() * 60);
    }

    [TestMethod]
    public void LauncherRole_ExactlyWhatTheLauncherCalls()
    {
        var (roleId, role) = _central.Resources("AWS::IAM::Role").Single(r => (string?)r.Value["Properties"]!["RoleName"] == FanoutNames.LauncherRole);
        var statements = PolicyStatementsOf(roleId);

        Assert.AreEqual(roleId, RoleOf(LauncherType));
        Assert.AreEqual("[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]", role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.ToJsonString());
        CollectionAssert.AreEquivalent(
            new[] { "OwnLogs", "Ledger", "LedgerFailuresIndex", "Key", "Notify", "WriteManifests", "DeadLetters", "AssumeMemberTriggerRoles", "ListStackSetInstances", "DescribeRegions", "HandOnToItself" },
            statements.Keys.ToList());
        AssertCommonStatements(statements, "LauncherLogs");
        AssertStatement(statements["ListStackSetInstances"], ["cloudformation:ListStackInstances"], $":*:stackset/{CentralStack.StackSetName}:*\"]]}}");
        AssertStatement(statements["DescribeRegions"], ["ec2:DescribeRegions"], "\"*\"");
        Assert.AreEqual("\"*\"", statements["DescribeRegions"]["Resource"]!.ToJsonString());
    }

    [TestMethod]
    public void LauncherRole_MemberTriggerRoles_OnlyInsideTheOrganization()
    {
        var assume = PolicyStatementsOf(RoleOf(LauncherType))["AssumeMemberTriggerRoles"];

        AssertStatement(assume, ["sts:AssumeRole"], ":iam::*:role/" + FanoutNames.TriggerRole + "\"]]}", conditioned: true);
        Assert.AreEqual("{\"StringEquals\":{\"aws:ResourceOrgID\":{\"Ref\":\"OrgId\"}}}", assume["Condition"]!.ToJsonString());
    }

    [TestMethod]
    public void LauncherRole_HandOn_InvokesOnlyItselfByItsFixedName()
    {
        var handOn = PolicyStatementsOf(RoleOf(LauncherType))["HandOnToItself"];

        AssertStatement(handOn, ["lambda:InvokeFunction"], "function:");
        // Built from the name, not the function's Arn attribute: the role's policy must not depend on the function.
        Assert.AreEqual($"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{FanoutNames.LauncherFunction}", Flat(handOn["Resource"]));
    }

    [TestMethod]
    [DataRow(CoordinatorType, "CoordinatorLogs", true)]
    [DataRow(ReconcilerType, "ReconcilerLogs", false)]
    public void CoordinatorAndReconcilerRoles_ExactlyWhatTheyCall(string type, string logGroupPrefix, bool deadLetters)
    {
        var statements = PolicyStatementsOf(RoleOf(type));
        string[] expected = ["OwnLogs", "Ledger", "LedgerFailuresIndex", "Key", "Notify", "WriteManifests", "RegisterPartitions"];

        CollectionAssert.AreEquivalent(deadLetters ? [.. expected, "DeadLetters"] : expected, statements.Keys.ToList());
        AssertCommonStatements(statements, logGroupPrefix);
        AssertStatement(statements["RegisterPartitions"], ["glue:GetTable", "glue:BatchCreatePartition"], ":glue:");
        var glue = statements["RegisterPartitions"]["Resource"]!.AsArray().Select(r => r!.ToJsonString()).ToList();
        Assert.HasCount(4, glue);
        Assert.ContainsSingle(glue.Where(r => r.EndsWith(":catalog\"]]}", StringComparison.Ordinal)));
        Assert.ContainsSingle(glue.Where(r => r.EndsWith($":database/{FindingsAnalytics.DatabaseName}\"]]}}", StringComparison.Ordinal)));
        Assert.ContainsSingle(glue.Where(r => r.EndsWith($":table/{FindingsAnalytics.DatabaseName}/{FindingsAnalytics.TableName}\"]]}}", StringComparison.Ordinal)));
        Assert.ContainsSingle(glue.Where(r => r.EndsWith($":table/{FindingsAnalytics.DatabaseName}/{FindingsAnalytics.OcsfTableName}\"]]}}", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ReconcileSchedule_RateFromTheParameterInvokingOnlyTheReconcilerWithEmptyInput()
    {
        var schedule = Schedule(CentralStack.ReconcileScheduleName)["Properties"]!;
        var target = schedule["Target"]!;
        var roleId = (string)target["RoleArn"]!["Fn::GetAtt"]![0]!;
        var role = _central.Root["Resources"]![roleId]!["Properties"]!;
        var trust = role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Single()!;
        var policy = PolicyStatementsOf(roleId);

        Assert.AreEqual(CentralStack.ScheduleGroupName, (string?)schedule["GroupName"]);
        Assert.AreEqual(CentralStack.ScheduleGroupName, (string?)_central.Single("AWS::Scheduler::ScheduleGroup")["Properties"]!["Name"]);
        Assert.AreEqual("rate(${ReconcileEveryMinutes} minutes)", Flat(schedule["ScheduleExpression"]));
        Assert.AreEqual("OFF", (string?)schedule["FlexibleTimeWindow"]!["Mode"]);
        Assert.AreEqual($"${{{OurFunction(ReconcilerType).Key}.Arn}}", Flat(target["Arn"]));
        Assert.AreEqual("{}", (string?)target["Input"]);
        Assert.AreEqual("{\"Service\":\"scheduler.amazonaws.com\"}", trust["Principal"]!.ToJsonString());
        Assert.AreEqual($"arn:${{AWS::Partition}}:scheduler:${{AWS::Region}}:${{AWS::AccountId}}:schedule-group/{CentralStack.ScheduleGroupName}", Flat(trust["Condition"]!["ArnEquals"]!["aws:SourceArn"]));
        Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.ToJsonString());
        Assert.AreEqual("InvokeReconciler", policy.Keys.Single());
        AssertStatement(policy["InvokeReconciler"], ["lambda:InvokeFunction"], OurFunction(ReconcilerType).Key);
        Assert.AreEqual($"${{{OurFunction(ReconcilerType).Key}.Arn}}", Flat(policy["InvokeReconciler"]["Resource"]));
    }

    [TestMethod]
    public void IncrementalExportSchedule_DailyByDefaultFromTheParameterLaunchingAnIncrementalExportThroughARoleThatMayOnlyInvokeTheLauncher()
    {
        var resource = Schedule(CentralStack.IncrementalScheduleName);
        var schedule = resource["Properties"]!;
        var target = schedule["Target"]!;
        var roleId = (string)target["RoleArn"]!["Fn::GetAtt"]![0]!;
        var role = _central.Root["Resources"]![roleId]!;
        var trust = role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Single()!;
        var inline = role["Properties"]!["Policies"]!.AsArray().Single()!["PolicyDocument"]!["Statement"]!.AsArray().Single()!.AsObject();
        var parameter = _central.Root["Parameters"]!["IncrementalExportSchedule"]!;
        var condition = _central.Root["Conditions"]!["HasIncrementalSchedule"]!.ToJsonString();
        var sent = System.Text.Json.JsonSerializer.Deserialize((string)target["Input"]!, Core.Orchestration.OrchestrationJsonContext.Default.LaunchRequest)!;

        Assert.AreEqual("cron(0 3 * * ? *)", (string?)parameter["Default"], "daily by default");
        Assert.AreEqual("{\"Ref\":\"IncrementalExportSchedule\"}", schedule["ScheduleExpression"]!.ToJsonString());
        Assert.AreEqual("UTC", (string?)schedule["ScheduleExpressionTimezone"]);
        Assert.AreEqual(CentralStack.ScheduleGroupName, (string?)schedule["GroupName"]);
        Assert.AreEqual("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"IncrementalExportSchedule\"},\"\"]}]}", condition, "no schedule when the parameter is empty");
        Assert.AreEqual("HasIncrementalSchedule", (string?)resource["Condition"]);
        Assert.AreEqual("HasIncrementalSchedule", (string?)role["Condition"], "nor its role");
        Assert.AreEqual($"${{{OurFunction(LauncherType).Key}.Arn}}", Flat(target["Arn"]));
        Assert.IsTrue(sent.Incremental);
        Assert.IsEmpty(sent.Validate());
        Assert.IsNull(sent.ExportId);
        Assert.IsNull(sent.Accounts, "every target account");
        Assert.AreEqual(0, target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>(), "a missed launch moves no watermark: the next one covers it");
        Assert.AreEqual("{\"Service\":\"scheduler.amazonaws.com\"}", trust["Principal"]!.ToJsonString());
        Assert.AreEqual($"arn:${{AWS::Partition}}:scheduler:${{AWS::Region}}:${{AWS::AccountId}}:schedule-group/{CentralStack.ScheduleGroupName}", Flat(trust["Condition"]!["ArnEquals"]!["aws:SourceArn"]));
        Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.ToJsonString());
        AssertStatement(inline, ["lambda:InvokeFunction"], OurFunction(LauncherType).Key);
        Assert.AreEqual($"${{{OurFunction(LauncherType).Key}.Arn}}", Flat(inline["Resource"]), "only the launcher, no wildcard");
        Assert.IsEmpty(PolicyStatementsOf(roleId), "no other policy is attached to the role");
        Assert.IsNull(role["Properties"]!["ManagedPolicyArns"]);
    }

    [TestMethod]
    public void Bus_PolicyLetsOnlyTheMemberSendingRolesOfTheOrgPutTheThreeSources()
    {
        var statement = _central.Single("AWS::Events::EventBusPolicy")["Properties"]!["Statement"]!;
        var condition = statement["Condition"]!;

        Assert.AreEqual("events:PutEvents", (string?)statement["Action"]);
        Assert.AreEqual("{\"Ref\":\"OrgId\"}", condition["StringEquals"]!["aws:PrincipalOrgID"]!.ToJsonString());
        CollectionAssert.AreEquivalent(
            new[] { $"arn:${{AWS::Partition}}:iam::*:role/{FanoutNames.StateMachineRole}", $"arn:${{AWS::Partition}}:iam::*:role/{FanoutNames.EventForwarderRole}" },
            FlatAll(condition["ArnLike"]!["aws:PrincipalArn"]));
        CollectionAssert.AreEquivalent(
            new[] { FanoutNames.EventSource, FanoutNames.ExecutionStatusSource, Core.Streaming.FindingEvents.Source },
            SynthesizedTemplate.Strings(condition["ForAllValues:StringEquals"]!["events:source"]).ToList());
        Assert.AreEqual("false", (string?)condition["Null"]!["events:source"], "ForAllValues alone would pass a request without sources");
        Assert.HasCount(4, condition.AsObject());
    }

    [TestMethod]
    public void BusRules_ResultsAndMemberExecutionFailures_ToTheCoordinatorWithRetriesAndDeadLetters()
    {
        var rules = CoordinatorRules().Select(r => r.Value["Properties"]!).ToDictionary(r => (string)r["Name"]!);
        var coordinator = OurFunction(CoordinatorType).Key;
        var queue = DeadLettersId();

        CollectionAssert.AreEquivalent(new[] { CentralStack.RegionResultsRuleName, CentralStack.ExecutionFailuresRuleName }, rules.Keys.ToList(), "no per-failure email rules");
        Assert.AreEqual($"{{\"detail-type\":[\"{FanoutNames.RegionResultDetailType}\"],\"source\":[\"{FanoutNames.EventSource}\"]}}", rules[CentralStack.RegionResultsRuleName]["EventPattern"]!.ToJsonString());
        var executions = rules[CentralStack.ExecutionFailuresRuleName]["EventPattern"]!;
        Assert.AreEqual($"[\"{FanoutNames.ExecutionStatusSource}\"]", executions["source"]!.ToJsonString());
        Assert.AreEqual($"[\"{FanoutNames.ExecutionStatusDetailType}\"]", executions["detail-type"]!.ToJsonString());
        Assert.AreEqual("[\"FAILED\",\"TIMED_OUT\",\"ABORTED\"]", executions["detail"]!["status"]!.ToJsonString());
        foreach (var rule in rules.Values)
        {
            Assert.AreEqual("{\"Ref\":\"" + _central.Resources("AWS::Events::EventBus").Single().Key + "\"}", rule["EventBusName"]!.ToJsonString());
            var target = rule["Targets"]!.AsArray().Single()!;
            Assert.AreEqual($"${{{coordinator}.Arn}}", Flat(target["Arn"]));
            Assert.AreEqual($"${{{queue}.Arn}}", Flat(target["DeadLetterConfig"]!["Arn"]));
            Assert.AreEqual(185, target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>());
            Assert.AreEqual(86400, target["RetryPolicy"]!["MaximumEventAgeInSeconds"]!.GetValue<int>());
        }

        Assert.IsFalse(_central.Resources("AWS::Events::Rule").Any(r => r.Value.ToJsonString().Contains(_central.Resources("AWS::SNS::Topic").Single().Key, StringComparison.Ordinal)), "the coordinator mails, not the bus");
    }

    [TestMethod]
    public void DeadLetterQueue_EncryptedWithTheKeyKeptTwoWeeksTlsOnlyAndWritableOnlyByTheTwoRules()
    {
        var queueId = DeadLettersId();
        var queue = _central.Root["Resources"]![queueId]!.AsObject();
        var statements = _central.Resources("AWS::SQS::QueuePolicy").Single(p => p.Value["Properties"]!["Queues"]!.AsArray().Any(q => Flat(q) == $"${{{queueId}}}"))
            .Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var sends = statements.Where(s => (string?)s["Effect"] == "Allow").ToList();
        var rules = CoordinatorRules().Select(r => $"${{{r.Key}.Arn}}").ToList();

        Assert.AreEqual($"${{{KeyId}.Arn}}", Flat(queue["Properties"]!["KmsMasterKeyId"]));
        Assert.AreEqual(14 * 24 * 3600, queue["Properties"]!["MessageRetentionPeriod"]!.GetValue<int>());
        var deny = statements.Single(s => (string?)s["Effect"] == "Deny");
        Assert.AreEqual("sqs:*", (string?)deny["Action"]);
        Assert.AreEqual("false", deny["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToString());
        Assert.IsTrue(sends.All(s => s["Principal"]!.ToJsonString() == "{\"Service\":\"events.amazonaws.com\"}" && (string?)s["Action"] == "sqs:SendMessage"));
        CollectionAssert.AreEquivalent(rules, sends.Select(s => Flat(s["Condition"]!["ArnEquals"]!["aws:SourceArn"])).ToList());
        Assert.IsNotNull(_central.Root["Outputs"]!["DeadLetterQueueUrl"]);
        Assert.AreEqual($"{{\"Ref\":\"{queueId}\"}}", _central.Root["Outputs"]!["DeadLetterQueueUrl"]!["Value"]!.ToJsonString());
    }

    [TestMethod]
    [DataRow(CoordinatorType, 2, true)]
    [DataRow(LauncherType, 2, true)]
    [DataRow(ReconcilerType, 0, false)]
    public void AsyncInvokes_FunctionErrors_RetriedAsSafeThenKeptInTheDeadLetterQueue(string type, int retries, bool toDeadLetters)
    {
        var function = OurFunction(type).Key;
        var config = _central.Resources("AWS::Lambda::EventInvokeConfig").Single(c => (string?)c.Value["Properties"]!["FunctionName"]!["Ref"] == function).Value;
        var queue = DeadLettersId();

        Assert.AreEqual(retries, config["Properties"]!["MaximumRetryAttempts"]!.GetValue<int>());
        Assert.AreEqual("$LATEST", (string?)config["Properties"]!["Qualifier"]);
        Assert.AreEqual(toDeadLetters ? $"${{{queue}.Arn}}" : string.Empty, Flat(config["Properties"]!["DestinationConfig"]?["OnFailure"]?["Destination"]));
        if (toDeadLetters)
        {
            AssertStatement(PolicyStatementsOf(RoleOf(type))["DeadLetters"], ["sqs:SendMessage"], queue);
            // Lambda checks the destination permission when the configuration is written.
            var rolePolicy = RoleOf(type)[..^8] + "DefaultPolicy";
            Assert.IsTrue(config["DependsOn"]!.AsArray().Any(d => ((string)d!).StartsWith(rolePolicy, StringComparison.Ordinal)), config.ToJsonString());
        }
    }

    [TestMethod]
    public void Alarms_DeadLettersAndEachFunctionsErrors_MailedThroughTheTopic()
    {
        var alarms = _central.Resources("AWS::CloudWatch::Alarm").Select(a => a.Value["Properties"]!).ToDictionary(a => (string)a["AlarmName"]!);
        var topic = _central.Resources("AWS::SNS::Topic").Single().Key;
        var queue = DeadLettersId();

        CollectionAssert.AreEquivalent(
            new[]
            {
                "sechub-fanout-dead-letters", "sechub-fanout-launcher-errors", "sechub-fanout-coordinator-errors", "sechub-fanout-reconciler-errors",
                "sechub-fanout-stream-dead-letters", "sechub-fanout-stream-writer-errors",
            },
            alarms.Keys.ToList());
        foreach (var alarm in alarms.Values)
        {
            Assert.AreEqual($"[{{\"Ref\":\"{topic}\"}}]", alarm["AlarmActions"]!.ToJsonString());
            Assert.AreEqual("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
            Assert.AreEqual(0, alarm["Threshold"]!.GetValue<int>());
            Assert.AreEqual("notBreaching", (string?)alarm["TreatMissingData"]);
        }

        var deadLetters = alarms["sechub-fanout-dead-letters"];
        Assert.AreEqual("ApproximateNumberOfMessagesVisible", (string?)deadLetters["MetricName"]);
        Assert.AreEqual($"${{{queue}.QueueName}}", Flat(deadLetters["Dimensions"]![0]!["Value"]));
        var streamDeadLetters = _central.Resources("AWS::SQS::Queue").Single(q => q.Key.StartsWith("StreamDeadLetters", StringComparison.Ordinal)).Key;
        Assert.AreEqual($"${{{streamDeadLetters}.QueueName}}", Flat(alarms["sechub-fanout-stream-dead-letters"]["Dimensions"]![0]!["Value"]));
        foreach (var (name, type) in new[] { ("launcher", LauncherType), ("coordinator", CoordinatorType), ("reconciler", ReconcilerType), ("stream-writer", "SecHubFanout.Coordinator.StreamWriterFunction") })
        {
            var errors = alarms[$"sechub-fanout-{name}-errors"];
            Assert.AreEqual("Errors", (string?)errors["MetricName"]);
            Assert.AreEqual("Sum", (string?)errors["Statistic"]);
            Assert.AreEqual($"${{{OurFunction(type).Key}}}", Flat(errors["Dimensions"]![0]!["Value"]));
        }

        Assert.IsTrue(alarms.Keys.All(n => n.StartsWith(CentralStack.AlarmNamePrefix, StringComparison.Ordinal)), "the topic policy admits only alarms of this prefix");
    }

    [TestMethod]
    public void TopicPolicy_OnlyThisAccountsAlarmsMayPublish()
    {
        var statement = _central.Single("AWS::SNS::TopicPolicy")["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Single()!;

        Assert.AreEqual("{\"Service\":\"cloudwatch.amazonaws.com\"}", statement["Principal"]!.ToJsonString());
        Assert.AreEqual("sns:Publish", (string?)statement["Action"]);
        Assert.AreEqual($"arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:{CentralStack.AlarmNamePrefix}*", Flat(statement["Condition"]!["ArnLike"]!["aws:SourceArn"]));
        Assert.AreEqual("{\"Ref\":\"AWS::AccountId\"}", statement["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.ToJsonString());
        // Every service principal that can publish or write anywhere in the stack is pinned to a source ARN.
        foreach (var s in _central.Statements().Where(s => s["Principal"]?["Service"] is JsonNode p && (string?)p != "lambda.amazonaws.com" && s["Action"]?.ToJsonString().Contains("sts:AssumeRole", StringComparison.Ordinal) != true))
        {
            var sourceArn = s["Condition"]?.AsObject().Select(c => c.Value?["aws:SourceArn"]).FirstOrDefault(v => v is not null);
            var isKeyStatement = SynthesizedTemplate.Strings(s["Action"]).All(a => a.StartsWith("kms:", StringComparison.Ordinal));
            Assert.IsTrue(sourceArn is not null || (isKeyStatement && s["Principal"]!["Service"]!.ToString() == "cloudwatch.amazonaws.com"), s.ToJsonString());
        }
    }

    // The control plane's dead letters (the stream has its own: FindingsStreamTests).
    private static string DeadLettersId() => _central.Resources("AWS::SQS::Queue").Single(q => q.Key.StartsWith("DeadLetters", StringComparison.Ordinal)).Key;

    // The rules that feed the coordinator (the stream's rules feed the stream queue: FindingsStreamTests).
    private static List<KeyValuePair<string, JsonObject>> CoordinatorRules() =>
        [.. _central.Resources("AWS::Events::Rule").Where(r => !((string)r.Value["Properties"]!["Name"]!).Contains("findings-stream", StringComparison.Ordinal))];

    private static void AssertCommonStatements(Dictionary<string, JsonObject> statements, string logGroupPrefix)
    {
        var table = _central.Resources("AWS::DynamoDB::Table").Single().Key;
        var topic = _central.Resources("AWS::SNS::Topic").Single().Key;
        AssertStatement(statements["OwnLogs"], ["logs:CreateLogStream", "logs:PutLogEvents"], $"{{\"Fn::GetAtt\":[\"{logGroupPrefix}");
        AssertStatement(statements["Ledger"], ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem"], $"{{\"Fn::GetAtt\":[\"{table}\",\"Arn\"]}}");
        AssertStatement(statements["LedgerFailuresIndex"], ["dynamodb:Query"], table);
        Assert.AreEqual($"${{{table}.Arn}}/index/{FanoutNames.LedgerFailuresIndex}", Flat(statements["LedgerFailuresIndex"]["Resource"]));
        AssertStatement(statements["Key"], ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], $"{{\"Fn::GetAtt\":[\"{KeyId}\",\"Arn\"]}}");
        AssertStatement(statements["Notify"], ["sns:Publish"], $"{{\"Ref\":\"{topic}\"}}");
        AssertStatement(statements["WriteManifests"], ["s3:PutObject"], $"{{\"Fn::GetAtt\":[\"{FindingsBucket().Key}\",\"Arn\"]}},\"/{FanoutNames.ManifestsPrefix}*\"]]}}");
    }

    private static JsonObject Schedule(string name) =>
        _central.Resources("AWS::Scheduler::Schedule").Single(s => (string?)s.Value["Properties"]!["Name"] == name).Value;
}
