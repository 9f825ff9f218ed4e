using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Http;
using Polly;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Coordinator.Tests.Wire;

[TestClass]
public sealed class OrchestrationWireTests
{
    private const string SessionToken = "session-token-from-assume-role";
    private static readonly ResiliencePipeline NoRetry = ResiliencePipeline.Empty;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task SnsNotifier_PublishAsync_SignedQueryFormWithTopicSubjectMessage()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "text/xml", "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));
        using var clients = StubAnswers.CreateClients(server);
        var notifier = new SnsNotifier(clients.Query, "arn:aws:sns:eu-central-1:999999999999:sechub-fanout", NoRetry);

        await notifier.PublishAsync("Export done", "Findings exported:  1,234\nüñí & = ?", TestContext.CancellationToken);

        var request = server.Requests.Single();
        var form = Form(request);
        AssertSigned(request, "eu-central-1", "sns");
        Assert.AreEqual("POST", request.Method);
        StringAssert.StartsWith(request.Headers["content-type"], "application/x-www-form-urlencoded");
        Assert.AreEqual("Publish", form["Action"]);
        Assert.AreEqual("2010-03-31", form["Version"]);
        Assert.AreEqual("arn:aws:sns:eu-central-1:999999999999:sechub-fanout", form["TopicArn"]);
        Assert.AreEqual("Export done", form["Subject"]);
        Assert.AreEqual("Findings exported:  1,234\nüñí & = ?", form["Message"]);
    }

    [TestMethod]
    public async Task SnsNotifier_TopicAccessDenied_ThrowsAccessDenied()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 403, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>not authorized to publish</Message></Error></ErrorResponse>"));
        using var clients = StubAnswers.CreateClients(server);
        var notifier = new SnsNotifier(clients.Query, "arn:aws:sns:eu-west-1:999999999999:t", NoRetry);

        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => notifier.PublishAsync("s", "b", TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.AccessDenied, e.Kind);
    }

    [TestMethod]
    public async Task StepFunctionsExportStarter_Session_AssumesTriggerRoleOnceThenListsRegionsStopsAndStartsWithItsCredentials()
    {
        await using var server = await StubAwsServer.StartAsync(async (r, c) =>
        {
            if (r.Headers.TryGetValue("x-amz-target", out var target))
            {
                await (target switch
                {
                    "AWSStepFunctions.StartExecution" => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.0", "{\"executionArn\":\"arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:x\",\"startDate\":1.7E9}"),
                    "AWSStepFunctions.StopExecution" => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.0", "{\"stopDate\":1.7E9}"),
                    // Running: a continuation of the replaced execution (to stop) and one of another attempt (to leave alone), over two pages.
                    "AWSStepFunctions.ListExecutions" => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.0", System.Text.Encoding.UTF8.GetString(r.Body).Contains("page-2", StringComparison.Ordinal)
                        ? "{\"executions\":[{\"name\":\"20261123T180000Z-0a1b2c3d-r1-eu-west-1-c1\",\"executionArn\":\"arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:20261123T180000Z-0a1b2c3d-r1-eu-west-1-c1\"}]}"
                        : "{\"executions\":[{\"name\":\"20261123T180000Z-0a1b2c3d-us-east-1-c2\",\"executionArn\":\"arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:20261123T180000Z-0a1b2c3d-us-east-1-c2\"}],\"nextToken\":\"page-2\"}"),
                    _ => StubAnswers.WriteAsync(c, 400, "application/x-amz-json-1.0", "{\"__type\":\"UnknownOperationException\"}"),
                });
                return;
            }

            await (Form(r)["Action"] switch
            {
                "DescribeRegions" => StubAnswers.WriteAsync(c, 200, "text/xml", DescribeRegionsAnswer),
                _ => StubAnswers.WriteAsync(c, 200, "text/xml", AssumeRoleAnswer()),
            });
        });
        using var clients = StubAnswers.CreateClients(server);
        using var sts = clients.CreateStsClient();
        var starter = new StepFunctionsExportStarter(clients, sts, "eu-west-1", NoRetry);
        using var filters = JsonDocument.Parse("{\"RecordState\":[{\"Value\":\"ACTIVE\",\"Comparison\":\"EQUALS\"}]}");
        var until = new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
        var input = new MemberExecutionInput("20261123T180000Z-0a1b2c3d", "111111111111", ["eu-west-1", "us-east-1"], filters.RootElement.Clone(), null, until, 1);

        string arn;
        IReadOnlyList<string> regions;
        await using (var session = await starter.OpenAsync("111111111111", TestContext.CancellationToken))
        {
            regions = await session.EnabledRegionsAsync(TestContext.CancellationToken);
            await session.StopAsync("arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:20261123T180000Z-0a1b2c3d", "replaced by restart 1", TestContext.CancellationToken);
            arn = await session.StartAsync(new MemberExecution("111111111111", "20261123T180000Z-0a1b2c3d-r1", input), TestContext.CancellationToken);
        }

        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:x", arn);
        CollectionAssert.AreEqual(new[] { "eu-west-1", "me-central-1" }, regions.ToArray());
        Assert.HasCount(7, server.Requests);
        var assume = server.Requests[0];
        AssertSigned(assume, "eu-west-1", "sts");
        Assert.AreEqual("AssumeRole", Form(assume)["Action"]);
        Assert.AreEqual("arn:aws:iam::111111111111:role/SecHubFanoutTrigger", Form(assume)["RoleArn"]);
        Assert.AreEqual(1, server.Requests.Count(r => Form(r)["Action"] == "AssumeRole"), "one role assumption serves the whole session");
        var describe = server.Requests[1];
        AssertSigned(describe, "eu-west-1", "ec2");
        Assert.AreEqual(SessionToken, describe.Headers["x-amz-security-token"]);
        var stop = server.Requests[2];
        AssertSigned(stop, "eu-west-1", "states");
        Assert.AreEqual(SessionToken, stop.Headers["x-amz-security-token"]);
        var stopBody = JsonNode.Parse(stop.Body)!;
        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:20261123T180000Z-0a1b2c3d", stopBody["executionArn"]!.GetValue<string>());
        Assert.AreEqual("replaced by restart 1", stopBody["cause"]!.GetValue<string>());
        var list = server.Requests[3];
        Assert.AreEqual("AWSStepFunctions.ListExecutions", list.Headers["x-amz-target"]);
        Assert.AreEqual("RUNNING", JsonNode.Parse(list.Body)!["statusFilter"]!.GetValue<string>());
        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:stateMachine:sechub-fanout-exporter", JsonNode.Parse(list.Body)!["stateMachineArn"]!.GetValue<string>());
        var stoppedContinuation = JsonNode.Parse(server.Requests[4].Body)!["executionArn"]!.GetValue<string>();
        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:execution:sechub-fanout-exporter:20261123T180000Z-0a1b2c3d-us-east-1-c2", stoppedContinuation);
        Assert.AreEqual("page-2", JsonNode.Parse(server.Requests[5].Body)!["nextToken"]!.GetValue<string>());
        Assert.AreEqual(2, server.Requests.Count(r => r.Headers.TryGetValue("x-amz-target", out var t) && t == "AWSStepFunctions.StopExecution"), "the restart's own continuation keeps running");
        var start = server.Requests[6];
        AssertSigned(start, "eu-west-1", "states");
        Assert.AreEqual("AWSStepFunctions.StartExecution", start.Headers["x-amz-target"]);
        Assert.AreEqual("application/x-amz-json-1.0", start.Headers["content-type"]);
        Assert.AreEqual(SessionToken, start.Headers["x-amz-security-token"]);
        var body = JsonNode.Parse(start.Body)!;
        Assert.AreEqual("arn:aws:states:eu-west-1:111111111111:stateMachine:sechub-fanout-exporter", body["stateMachineArn"]!.GetValue<string>());
        Assert.AreEqual("20261123T180000Z-0a1b2c3d-r1", body["name"]!.GetValue<string>());
        var sent = JsonSerializer.Deserialize(body["input"]!.GetValue<string>(), OrchestrationJsonContext.Default.MemberExecutionInput)!;
        Assert.AreEqual("20261123T180000Z-0a1b2c3d", sent.ExportId);
        Assert.AreEqual("111111111111", sent.AccountId);
        Assert.AreEqual(1, sent.Attempt);
        CollectionAssert.AreEqual(new[] { "eu-west-1", "us-east-1" }, sent.Regions.ToArray());
        Assert.AreEqual(until, sent.Until);
        Assert.AreEqual("ACTIVE", sent.Filters!.Value.GetProperty("RecordState")[0].GetProperty("Value").GetString());
    }

    [TestMethod]
    public async Task StepFunctionsExportStarter_AssumeRoleDenied_OpenThrowsAccessDeniedNamingTheRoleAndNothingElseIsCalled()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 403, "text/xml", "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>"));
        using var clients = StubAnswers.CreateClients(server);
        using var sts = clients.CreateStsClient();
        var starter = new StepFunctionsExportStarter(clients, sts, "eu-west-1", NoRetry);

        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => starter.OpenAsync("222222222222", TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.AccessDenied, e.Kind);
        StringAssert.Contains(e.Message, "arn:aws:iam::222222222222:role/SecHubFanoutTrigger");
        Assert.IsFalse(server.Requests.Any(r => r.Headers.ContainsKey("x-amz-target")));
    }

    [TestMethod]
    public async Task OrganizationsAccountDirectory_PagesWithEmptyPage_FollowsTokensAndKeepsActiveAccounts()
    {
        string[] pages =
        [
            "{\"Accounts\":[{\"Id\":\"111111111111\",\"Status\":\"ACTIVE\"},{\"Id\":\"222222222222\",\"Status\":\"SUSPENDED\"}],\"NextToken\":\"t1\"}",
            "{\"Accounts\":[],\"NextToken\":\"t2\"}",
            "{\"Accounts\":[{\"Id\":\"333333333333\",\"Status\":\"ACTIVE\",\"State\":\"ACTIVE\"}]}",
        ];
        var call = 0;
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", pages[Interlocked.Increment(ref call) - 1]));
        using var clients = StubAnswers.CreateClients(server);

        var accounts = await new OrganizationsAccountDirectory(clients.Json, NoRetry).ListAccountsAsync(TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "111111111111", "333333333333" }, accounts.ToArray());
        Assert.HasCount(3, server.Requests);
        foreach (var request in server.Requests)
        {
            AssertSigned(request, "us-east-1", "organizations");
            Assert.AreEqual("AWSOrganizationsV20161128.ListAccounts", request.Headers["x-amz-target"]);
            Assert.AreEqual("application/x-amz-json-1.1", request.Headers["content-type"]);
            Assert.AreEqual(20, JsonNode.Parse(request.Body)!["MaxResults"]!.GetValue<int>());
        }

        Assert.IsNull(JsonNode.Parse(server.Requests[0].Body)!["NextToken"]);
        Assert.AreEqual("t1", JsonNode.Parse(server.Requests[1].Body)!["NextToken"]!.GetValue<string>());
        Assert.AreEqual("t2", JsonNode.Parse(server.Requests[2].Body)!["NextToken"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task StackSetAccountDirectory_TwoPages_AccountsOfHomeRegionWithCallAs()
    {
        string[] pages =
        [
            "<ListStackInstancesResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><ListStackInstancesResult><Summaries><member><Account>111111111111</Account><Region>eu-west-1</Region><Status>CURRENT</Status></member><member><Account>222222222222</Account><Region>eu-west-1</Region><Status>OUTDATED</Status></member></Summaries><NextToken>page2</NextToken></ListStackInstancesResult></ListStackInstancesResponse>",
            "<ListStackInstancesResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><ListStackInstancesResult><Summaries><member><Account>111111111111</Account><Region>eu-west-1</Region><Status>CURRENT</Status></member><member><Account>444444444444</Account><Region>eu-west-1</Region><Status>CURRENT</Status></member></Summaries></ListStackInstancesResult></ListStackInstancesResponse>",
        ];
        var call = 0;
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "text/xml", pages[Interlocked.Increment(ref call) - 1]));
        using var clients = StubAnswers.CreateClients(server);

        var accounts = await new StackSetAccountDirectory(clients.Query, "sechub-fanout-member", "DELEGATED_ADMIN", "eu-west-1", NoRetry).ListAccountsAsync(TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "111111111111", "222222222222", "444444444444" }, accounts.ToArray());
        var first = Form(server.Requests[0]);
        AssertSigned(server.Requests[0], "eu-west-1", "cloudformation");
        Assert.AreEqual("ListStackInstances", first["Action"]);
        Assert.AreEqual("2010-05-15", first["Version"]);
        Assert.AreEqual("sechub-fanout-member", first["StackSetName"]);
        Assert.AreEqual("DELEGATED_ADMIN", first["CallAs"]);
        Assert.IsNull(first["NextToken"]);
        Assert.AreEqual("page2", Form(server.Requests[1])["NextToken"]);
    }

    [TestMethod]
    public async Task GluePartitionRegistrar_RegisterAsync_CopiesTableDescriptorOnceAndTreatsExistingAsDone()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => r.Headers["x-amz-target"] switch
        {
            "AWSGlue.GetTable" => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", "{\"Table\":{\"Name\":\"findings\",\"StorageDescriptor\":{\"Location\":\"s3://b/findings/\",\"InputFormat\":\"org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat\",\"SerdeInfo\":{\"SerializationLibrary\":\"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe\"},\"Columns\":[{\"Name\":\"id\",\"Type\":\"string\"}]}}}"),
            _ => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", "{\"Errors\":[{\"PartitionValues\":[],\"ErrorDetail\":{\"ErrorCode\":\"AlreadyExistsException\",\"ErrorMessage\":\"exists\"}}]}"),
        });
        using var clients = StubAnswers.CreateClients(server);
        var registrar = new GluePartitionRegistrar(clients.Json, "sechub_fanout", "findings", "findings-bucket", "eu-west-1", NoRetry);
        var end = new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

        await registrar.RegisterAsync("20261123T180000Z-0a1b2c3d", "111111111111", "us-east-1", end, TestContext.CancellationToken);
        await registrar.RegisterAsync("20261123T180000Z-0a1b2c3d", "111111111111", "eu-west-1", end, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "AWSGlue.GetTable", "AWSGlue.BatchCreatePartition", "AWSGlue.BatchCreatePartition" }, server.Requests.Select(r => r.Headers["x-amz-target"]).ToArray());
        AssertSigned(server.Requests[1], "eu-west-1", "glue");
        var body = JsonNode.Parse(server.Requests[1].Body)!;
        Assert.AreEqual("sechub_fanout", body["DatabaseName"]!.GetValue<string>());
        Assert.AreEqual("findings", body["TableName"]!.GetValue<string>());
        var partition = body["PartitionInputList"]![0]!;
        CollectionAssert.AreEqual(new[] { "111111111111", "us-east-1", "2026-11-23", "20261123T180000Z-0a1b2c3d" }, partition["Values"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray());
        Assert.AreEqual("s3://findings-bucket/findings/account_id=111111111111/region=us-east-1/export_date=2026-11-23/export_id=20261123T180000Z-0a1b2c3d/", partition["StorageDescriptor"]!["Location"]!.GetValue<string>());
        Assert.AreEqual("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", partition["StorageDescriptor"]!["SerdeInfo"]!["SerializationLibrary"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task GluePartitionRegistrar_RegisterAsync_LocationIsTheExportersPartitionPrefix()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => r.Headers["x-amz-target"] switch
        {
            "AWSGlue.GetTable" => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", "{\"Table\":{\"StorageDescriptor\":{\"Columns\":[]}}}"),
            _ => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", "{\"Errors\":[]}"),
        });
        using var clients = StubAnswers.CreateClients(server);
        var end = new DateTimeOffset(2026, 11, 23, 23, 59, 59, TimeSpan.FromHours(-5));

        await new GluePartitionRegistrar(clients.Json, "db", "t", "findings-bucket", "eu-west-1", NoRetry).RegisterAsync("20261123T180000Z-0a1b2c3d", "111111111111", "ap-southeast-2", end, TestContext.CancellationToken);

        var location = JsonNode.Parse(server.Requests[1].Body)!["PartitionInputList"]![0]!["StorageDescriptor"]!["Location"]!.GetValue<string>();
        var partKey = PartKeys.PartKey(PartKeys.PartitionPrefix("20261123T180000Z-0a1b2c3d", "111111111111", "ap-southeast-2", end), 0, 0, ".parquet");
        Assert.AreEqual("s3://findings-bucket/" + partKey[..(partKey.LastIndexOf('/') + 1)], location);
        StringAssert.Contains(location, "/export_date=2026-11-24/", "the date is the export end's UTC date");
    }

    [TestMethod]
    public async Task GluePartitionRegistrar_RegisterAsyncV2_RegistersTheOcsfFolderInTheOcsfTable()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => r.Headers["x-amz-target"] switch
        {
            "AWSGlue.GetTable" => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", "{\"Table\":{\"StorageDescriptor\":{\"Columns\":[]}}}"),
            _ => StubAnswers.WriteAsync(c, 200, "application/x-amz-json-1.1", "{\"Errors\":[]}"),
        });
        using var clients = StubAnswers.CreateClients(server);
        var end = new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
        var registrar = new GluePartitionRegistrar(clients.Json, "db", "findings", "findings-bucket", "eu-west-1", NoRetry, "findings_ocsf");

        await registrar.RegisterAsync("20261123T180000Z-0a1b2c3d", "111111111111", "us-east-1", end, SecHubFanout.Core.Queries.FindingsApi.V2, TestContext.CancellationToken);
        await registrar.RegisterAsync("20261123T180000Z-0a1b2c3e", "111111111111", "us-east-1", end, TestContext.CancellationToken);

        Assert.AreEqual("findings_ocsf", JsonNode.Parse(server.Requests[0].Body)!["Name"]!.GetValue<string>(), "the OCSF table's descriptor is read");
        var v2 = JsonNode.Parse(server.Requests[1].Body)!;
        Assert.AreEqual("findings_ocsf", v2["TableName"]!.GetValue<string>());
        Assert.AreEqual(
            "s3://findings-bucket/findings/account_id=111111111111/ocsf/region=us-east-1/export_date=2026-11-23/export_id=20261123T180000Z-0a1b2c3d/",
            v2["PartitionInputList"]![0]!["StorageDescriptor"]!["Location"]!.GetValue<string>());
        Assert.AreEqual("findings", JsonNode.Parse(server.Requests[2].Body)!["Name"]!.GetValue<string>(), "a v1 partition reads its own table's descriptor");
        var v1 = JsonNode.Parse(server.Requests[3].Body)!;
        Assert.AreEqual("findings", v1["TableName"]!.GetValue<string>());
        StringAssert.StartsWith(v1["PartitionInputList"]![0]!["StorageDescriptor"]!["Location"]!.GetValue<string>(), "s3://findings-bucket/findings/account_id=111111111111/region=us-east-1/");
    }

    [TestMethod]
    public async Task GluePartitionRegistrar_AccountThatWouldBendThePath_ThrowsBeforeAnyCall()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 500, "application/x-amz-json-1.1", "{}"));
        using var clients = StubAnswers.CreateClients(server);
        var registrar = new GluePartitionRegistrar(clients.Json, "db", "t", "findings-bucket", "eu-west-1", NoRetry);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => registrar.RegisterAsync("20261123T180000Z-0a1b2c3d", "111111111111/region=x", "eu-west-1", DateTimeOffset.UnixEpoch, TestContext.CancellationToken));

        Assert.IsEmpty(server.Requests);
    }

    private const string DescribeRegionsAnswer =
        "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><regionInfo>" +
        "<item><regionName>me-central-1</regionName><regionEndpoint>ec2.me-central-1.amazonaws.com</regionEndpoint><optInStatus>opted-in</optInStatus></item>" +
        "<item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>" +
        "</regionInfo></DescribeRegionsResponse>";

    private static string AssumeRoleAnswer() =>
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials>" +
        $"<AccessKeyId>{StubAwsServer.AccessKeyId}</AccessKeyId><SecretAccessKey>{StubAwsServer.SecretKey}</SecretAccessKey><SessionToken>{SessionToken}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>" +
        "</Credentials><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/SecHubFanoutTrigger/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>";

    private static NameValueCollection Form(RecordedRequest request) => HttpUtility.ParseQueryString(Encoding.UTF8.GetString(request.Body));

    private static void AssertSigned(RecordedRequest request, string region, string service)
    {
        Assert.IsTrue(request.Signature.IsValid, request.Signature.Error);
        Assert.AreEqual(region, request.Signature.Region);
        Assert.AreEqual(service, request.Signature.Service);
    }
}
