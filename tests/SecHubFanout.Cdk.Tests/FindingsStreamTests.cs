using System.Text.Json.Nodes;
using SecHubFanout.Cdk.Stacks;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Streaming;
using static SecHubFanout.Cdk.Tests.CentralTemplate;

namespace SecHubFanout.Cdk.Tests;

/// <summary>The live stream as synthesized: rules and their pattern, encrypted queues, the dead-letter path, the writer's permissions, the member option.</summary>
[TestClass]
public sealed class FindingsStreamTests
{
    private const string WriterType = "SecHubFanout.Coordinator.StreamWriterFunction";
    private const string ExpectedPattern = "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Imported\"]}";
    private static SynthesizedTemplate _central = null!;

    [ClassInitialize]
    public static void Synthesize(TestContext context) => _central = SynthesizedStacks.Central;

    [TestMethod]
    public void Rules_DefaultBusByParameterAndCentralBusForMembers_MatchOnlyFindingsImportedAndTargetTheStreamQueue()
    {
        var here = Rule(CentralStack.FindingsStreamRuleName);
        var members = Rule(CentralStack.MemberFindingsStreamRuleName);

        foreach (var rule in new[] { here, members })
        {
            Assert.AreEqual(ExpectedPattern, rule["EventPattern"]!.ToJsonString());
            var target = rule["Targets"]!.AsArray().Single()!;
            Assert.AreEqual($"${{{StreamQueueId()}.Arn}}", Flat(target["Arn"]));
            Assert.AreEqual($"${{{StreamDeadLettersId()}.Arn}}", Flat(target["DeadLetterConfig"]!["Arn"]), "undeliverable events are kept");
            Assert.AreEqual(185, target["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>());
        }

        Assert.IsNull(here["EventBusName"], "Security Hub's events arrive on the default bus");
        Assert.AreEqual("{\"Fn::If\":[\"StreamHere\",\"ENABLED\",\"DISABLED\"]}", here["State"]!.ToJsonString());
        Assert.AreEqual("{\"Fn::Equals\":[{\"Ref\":\"StreamFindings\"},\"true\"]}", _central.Root["Conditions"]!["StreamHere"]!.ToJsonString());
        Assert.AreEqual("true", (string?)_central.Root["Parameters"]!["StreamFindings"]!["Default"], "the administrator's rule streams by default");
        StringAssert.StartsWith(Flat(members["EventBusName"]), "${CentralBus", "the members' events arrive on the central bus");
        Assert.AreEqual("ENABLED", (string?)members["State"]);
    }

    [TestMethod]
    public void Queues_EveryQueueOfTheStack_KmsWithTheStackKeyAndTlsOnly()
    {
        var queues = _central.Resources("AWS::SQS::Queue").ToList();
        var policies = _central.Resources("AWS::SQS::QueuePolicy").ToList();

        Assert.HasCount(3, queues, "the control plane's dead letters, the stream queue and the stream's dead letters");
        foreach (var (id, queue) in queues)
        {
            Assert.AreEqual($"${{{KeyId}.Arn}}", Flat(queue["Properties"]!["KmsMasterKeyId"]), $"{id} is encrypted with the stack's key");
            var statements = policies.Single(p => p.Value["Properties"]!["Queues"]!.AsArray().Any(q => Flat(q) == $"${{{id}}}")).Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
            Assert.IsTrue(
                statements.Any(s => (string?)s!["Effect"] == "Deny" && s["Condition"]?["Bool"]?["aws:SecureTransport"]?.ToString() == "false"),
                $"{id} refuses requests without TLS");
        }
    }

    [TestMethod]
    public void StreamQueue_RedrivesPoisonAfterFiveDeliveriesAndOnlyTheStreamRulesMaySend()
    {
        var queue = _central.Root["Resources"]![StreamQueueId()]!["Properties"]!;
        var deadLetters = _central.Root["Resources"]![StreamDeadLettersId()]!["Properties"]!;
        var ruleArns = new[]
        {
            $"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{CentralStack.FindingsStreamRuleName}",
            $"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{CentralStack.CentralBusName}/{CentralStack.MemberFindingsStreamRuleName}",
        };

        Assert.AreEqual($"${{{StreamDeadLettersId()}.Arn}}", Flat(queue["RedrivePolicy"]!["deadLetterTargetArn"]));
        Assert.AreEqual(CentralStack.StreamMaxReceiveCount, queue["RedrivePolicy"]!["maxReceiveCount"]!.GetValue<int>());
        Assert.AreEqual(1209600, deadLetters["MessageRetentionPeriod"]!.GetValue<int>(), "14 days to redrive");
        Assert.IsGreaterThanOrEqualTo(6 * 120, queue["VisibilityTimeout"]!.GetValue<int>(), "six times the writer's timeout, so a batch in work is not delivered twice");
        foreach (var id in new[] { StreamQueueId(), StreamDeadLettersId() })
        {
            var sends = _central.Resources("AWS::SQS::QueuePolicy").Single(p => p.Value["Properties"]!["Queues"]!.AsArray().Any(q => Flat(q) == $"${{{id}}}"))
                .Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Where(s => (string?)s!["Effect"] == "Allow").Select(s => s!.AsObject()).ToList();
            var send = sends.Single();
            Assert.AreEqual("events.amazonaws.com", (string?)send["Principal"]!["Service"]);
            Assert.AreEqual("sqs:SendMessage", (string?)send["Action"]);
            CollectionAssert.AreEquivalent(ruleArns, FlatAll(send["Condition"]!["ArnEquals"]!["aws:SourceArn"]));
        }

        var keyForEvents = FlatAll(KeyStatement("EventBridgeToEncryptedDeadLetterQueue")["Condition"]!["ArnEquals"]!["aws:SourceArn"]);
        CollectionAssert.IsSubsetOf(ruleArns, keyForEvents, "EventBridge may use the key for the stream rules (and only the stack's rules)");
        Assert.AreEqual($"${{{StreamDeadLettersId()}}}", Flat(_central.Root["Outputs"]!["StreamDeadLetterQueueUrl"]!["Value"]));
    }

    [TestMethod]
    public void EventSourceMapping_BatchesUpToTheWindowAndReportsItemFailures()
    {
        var mapping = _central.Single("AWS::Lambda::EventSourceMapping")["Properties"]!;

        Assert.AreEqual($"${{{StreamQueueId()}.Arn}}", Flat(mapping["EventSourceArn"]));
        Assert.AreEqual($"${{{OurFunction(WriterType).Key}}}", Flat(mapping["FunctionName"]));
        Assert.AreEqual(10000, mapping["BatchSize"]!.GetValue<int>());
        Assert.AreEqual("{\"Ref\":\"StreamBatchWindowSeconds\"}", mapping["MaximumBatchingWindowInSeconds"]!.ToJsonString());
        Assert.AreEqual("300", _central.Root["Parameters"]!["StreamBatchWindowSeconds"]!["Default"]!.ToString());
        Assert.AreEqual("[\"ReportBatchItemFailures\"]", mapping["FunctionResponseTypes"]!.ToJsonString());
        Assert.AreEqual(5, mapping["ScalingConfig"]!["MaximumConcurrency"]!.GetValue<int>());
    }

    [TestMethod]
    public void WriterRole_WritesOnlyStreamPartitionsAndReadsOnlyItsQueue()
    {
        var statements = PolicyStatementsOf(RoleOf(WriterType));
        var bucket = FindingsBucket().Key;

        CollectionAssert.AreEquivalent(new[] { "OwnLogs", "WriteStreamParts", "Key", "RegisterPartitions", "ReadStreamQueue" }, statements.Keys.ToList());
        AssertStatement(statements["WriteStreamParts"], ["s3:PutObject"], bucket);
        Assert.AreEqual($"${{{bucket}.Arn}}/{FanoutNames.FindingsPrefix}account_id=*/region=*/export_date=*/export_id={StreamExportIds.Prefix}*/*", Flat(statements["WriteStreamParts"]["Resource"]));
        AssertStatement(statements["Key"], ["kms:GenerateDataKey", "kms:Decrypt"], KeyId);
        AssertStatement(statements["ReadStreamQueue"], ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], StreamQueueId());
        AssertStatement(statements["RegisterPartitions"], ["glue:GetTable", "glue:BatchCreatePartition"], ":glue:");
        Assert.IsFalse(statements.Values.SelectMany(s => SynthesizedTemplate.Strings(s["Action"])).Any(a => a.Contains('*', StringComparison.Ordinal)), "no wildcard actions");
        var environment = OurFunction(WriterType).Value["Properties"]!["Environment"]!["Variables"]!.AsObject();
        CollectionAssert.AreEquivalent(CentralEnvironment.All.ToList(), environment.Select(v => v.Key).ToList(), "the central options, validated at cold start");
    }

    [TestMethod]
    public void BusPolicy_MembersMayForwardFindingsEventsThroughTheirForwarderRole()
    {
        var policy = _central.Single("AWS::Events::EventBusPolicy")["Properties"]!["Statement"]!;

        CollectionAssert.Contains(FlatAll(policy["Condition"]!["ForAllValues:StringEquals"]!["events:source"]), FindingEvents.Source);
        CollectionAssert.Contains(FlatAll(policy["Condition"]!["ArnLike"]!["aws:PrincipalArn"]), $"arn:${{AWS::Partition}}:iam::*:role/{FanoutNames.EventForwarderRole}");
    }

    [TestMethod]
    public void StackSet_PassesStreamFromMembersAndTheOwnExporterNeverForwards()
    {
        var parameters = _central.Single("AWS::CloudFormation::StackSet")["Properties"]!["Parameters"]!.AsArray();
        var own = _central.Single("AWS::CloudFormation::Stack")["Properties"]!["Parameters"]!;

        Assert.AreEqual("${StreamFromMembers}", Flat(parameters.Single(x => (string?)x!["ParameterKey"] == "StreamFindings")!["ParameterValue"]));
        Assert.AreEqual("false", (string?)_central.Root["Parameters"]!["StreamFromMembers"]!["Default"]);
        Assert.AreEqual("false", (string?)own["StreamFindings"]);
    }

    [TestMethod]
    public void MemberTemplate_StreamFindingsOption_ForwardsOnlyItsOwnFindingsWhenTrue()
    {
        var member = SynthesizedStacks.Member;
        var rule = member.Resources("AWS::Events::Rule").Single(r => r.Value["Properties"]!["EventPattern"]!["source"]![0]!.ToString() == FindingEvents.Source).Value;
        var target = rule["Properties"]!["Targets"]!.AsArray().Single()!;

        Assert.AreEqual("false", (string?)member.Root["Parameters"]!["StreamFindings"]!["Default"], "off unless chosen");
        Assert.AreEqual("StreamFindingsEnabled", (string?)rule["Condition"]);
        Assert.AreEqual("{\"Fn::Equals\":[{\"Ref\":\"StreamFindings\"},\"true\"]}", member.Root["Conditions"]!["StreamFindingsEnabled"]!.ToJsonString());
        Assert.AreEqual("[\"Security Hub Findings - Imported\"]", rule["Properties"]!["EventPattern"]!["detail-type"]!.ToJsonString());
        Assert.AreEqual("{\"findings\":{\"AwsAccountId\":[{\"Ref\":\"AWS::AccountId\"}]}}", rule["Properties"]!["EventPattern"]!["detail"]!.ToJsonString());
        Assert.AreEqual("${CentralEventBusArn}", Flat(target["Arn"]));
        var role = target["RoleArn"]!["Fn::GetAtt"]![0]!.ToString();
        Assert.AreEqual(FanoutNames.EventForwarderRole, (string?)member.Root["Resources"]![role]!["Properties"]!["RoleName"], "the role the central bus policy admits");
    }

    private static JsonObject Rule(string name) =>
        _central.Resources("AWS::Events::Rule").Single(r => (string?)r.Value["Properties"]!["Name"] == name).Value["Properties"]!.AsObject();

    private static string StreamQueueId() => _central.Resources("AWS::SQS::Queue").Single(q => q.Key.StartsWith("StreamQueue", StringComparison.Ordinal)).Key;

    private static string StreamDeadLettersId() => _central.Resources("AWS::SQS::Queue").Single(q => q.Key.StartsWith("StreamDeadLetters", StringComparison.Ordinal)).Key;
}
