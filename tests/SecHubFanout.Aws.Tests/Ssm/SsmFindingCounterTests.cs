using System.Text;
using System.Text.Json;
using SecHubFanout.Aws.Ssm;
using SecHubFanout.TestSupport.Stubs;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Tests.Ssm;

/// <summary>The SSM count adapter through AWSSDK.SimpleSystemsManagement against a local endpoint that verifies SigV4 and the request shape.</summary>
[TestClass]
public sealed class SsmFindingCounterTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task PublishAsync_StubEndpoint_SendsOneSignedPutParameterThatOverwrites()
    {
        await using var server = await StubAwsServer.StartAsync((_, context) => StubAnswers.WriteAsync(context, 200, "application/x-amz-json-1.1", "{\"Version\":3,\"Tier\":\"Standard\"}"));
        using var clients = StubAnswers.CreateClients(server);
        using var ssm = clients.CreateSsmClient();
        var counter = new SsmFindingCounter(ssm, "/sechub-fanout/exports/");

        await counter.PublishAsync("20261123T190000Z-1a2b3c4d", "ap-southeast-2", 123_456, TestContext.CancellationToken);

        var request = server.Requests.Single();
        Assert.IsTrue(request.Signature.IsValid, request.Signature.Error);
        Assert.AreEqual("ssm", request.Signature.Service);
        Assert.AreEqual("eu-west-1", request.Signature.Region, "the count lives in the member's home Region, not the exported one");
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("AmazonSSM.PutParameter", request.Headers["x-amz-target"]);
        StringAssert.StartsWith(request.Headers["content-type"], "application/x-amz-json-1.1");
        using var body = JsonDocument.Parse(Encoding.UTF8.GetString(request.Body));
        var root = body.RootElement;
        Assert.AreEqual("/sechub-fanout/exports/20261123T190000Z-1a2b3c4d/ap-southeast-2", root.GetProperty("Name").GetString());
        Assert.AreEqual("123456", root.GetProperty("Value").GetString());
        Assert.AreEqual("String", root.GetProperty("Type").GetString());
        Assert.IsTrue(root.GetProperty("Overwrite").GetBoolean());
    }

    [TestMethod]
    public async Task PublishAsync_AccessDenied_ThrowsNamingThePermissionAndParameter()
    {
        await using var server = await StubAwsServer.StartAsync((_, context) => StubAnswers.WriteAsync(
            context, 400, "application/x-amz-json-1.1", "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform: ssm:PutParameter\"}"));
        using var clients = StubAnswers.CreateClients(server);
        using var ssm = clients.CreateSsmClient();
        var counter = new SsmFindingCounter(ssm, "/sechub-fanout/exports/");

        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => counter.PublishAsync("e-1", "us-east-1", 5, TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.AccessDenied, e.Kind);
        Assert.Contains("ssm:PutParameter on parameter /sechub-fanout/exports/e-1/us-east-1", e.Message);
    }

    [TestMethod]
    public void Constructor_PrefixWithoutSlashes_ThrowsSayingHowToWriteIt()
    {
        using var ssm = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(new Amazon.Runtime.AnonymousAWSCredentials(), Amazon.RegionEndpoint.USEast1);

        var e = Assert.ThrowsExactly<ArgumentException>(() => new SsmFindingCounter(ssm, "sechub-fanout"));

        Assert.Contains("starts and ends with '/'", e.Message);
    }
}
