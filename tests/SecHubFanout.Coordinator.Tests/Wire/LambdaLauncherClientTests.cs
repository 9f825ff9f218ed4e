using System.Text.Json;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Coordinator.Tests.Wire;

[TestClass]
public sealed class LambdaLauncherClientTests
{
    private const string LaunchAnswer =
        "{\"exportId\":\"20261123T180000Z-0a1b2c3d\",\"restart\":0,\"regions\":[\"eu-west-1\"],\"started\":1,\"failures\":[" +
        "{\"accountId\":\"222222222222\",\"executionArn\":null,\"error\":\"could not start the exporter in account 222222222222: denied\"}],\"continued\":false,\"failed\":1}";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task StartAsync_Answer_SignedRequestResponseInvokeWithTheLaunchRequestAndParsedResult()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));
        using var clients = StubAnswers.CreateClients(server);
        var client = new LambdaLauncherClient(clients.RestJson, FanoutNames.LauncherFunction, "eu-west-1");
        using var filters = JsonDocument.Parse("{\"SeverityLabel\":[{\"Value\":\"CRITICAL\",\"Comparison\":\"EQUALS\"}]}");
        var request = new LaunchRequest(null, ["111111111111", "222222222222"], ["eu-west-1"], filters.RootElement.Clone(), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var result = await client.StartAsync(request, TestContext.CancellationToken);

        var sent = server.Requests.Single();
        Assert.IsTrue(sent.Signature.IsValid, sent.Signature.Error);
        Assert.AreEqual("lambda", sent.Signature.Service);
        Assert.AreEqual("eu-west-1", sent.Signature.Region);
        Assert.AreEqual("POST", sent.Method);
        Assert.AreEqual($"/2015-03-31/functions/{FanoutNames.LauncherFunction}/invocations", sent.Path);
        Assert.AreEqual("RequestResponse", sent.Headers["x-amz-invocation-type"]);
        var payload = JsonSerializer.Deserialize(sent.Body, OrchestrationJsonContext.Default.LaunchRequest)!;
        CollectionAssert.AreEqual(new[] { "111111111111", "222222222222" }, payload.Accounts!.ToArray());
        CollectionAssert.AreEqual(new[] { "eu-west-1" }, payload.Regions!.ToArray());
        Assert.AreEqual(request.Since, payload.Since);
        Assert.AreEqual("CRITICAL", payload.Filters!.Value.GetProperty("SeverityLabel")[0].GetProperty("Value").GetString());
        Assert.AreEqual("20261123T180000Z-0a1b2c3d", result.ExportId);
        Assert.AreEqual(1, result.Started);
        Assert.AreEqual(1, result.Failed);
        Assert.AreEqual("could not start the exporter in account 222222222222: denied", result.Failures.Single().Error);
        Assert.IsFalse(result.Continued);
    }

    [TestMethod]
    public async Task ContinueAsync_Request_SignedAsynchronousEventInvokeOfTheSameFunctionCarryingTheExportToContinue()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 202, "application/json", string.Empty));
        using var clients = StubAnswers.CreateClients(server);
        var client = new LambdaLauncherClient(clients.RestJson, "SecHubFanout-Launcher-1A2B3C", "eu-west-1");

        await client.ContinueAsync(new LaunchRequest(Accounts: ["111111111111"], ContinueExportId: "20261123T180000Z-0a1b2c3d"), TestContext.CancellationToken);

        var sent = server.Requests.Single();
        Assert.IsTrue(sent.Signature.IsValid, sent.Signature.Error);
        Assert.AreEqual("lambda", sent.Signature.Service);
        Assert.AreEqual("/2015-03-31/functions/SecHubFanout-Launcher-1A2B3C/invocations", sent.Path);
        Assert.AreEqual("Event", sent.Headers["x-amz-invocation-type"], "the next invocation runs on its own; this one ends");
        var payload = JsonSerializer.Deserialize(sent.Body, OrchestrationJsonContext.Default.LaunchRequest)!;
        Assert.AreEqual("20261123T180000Z-0a1b2c3d", payload.ContinueExportId);
        CollectionAssert.AreEqual(new[] { "111111111111" }, payload.Accounts!.ToArray());
        Assert.IsEmpty(payload.Validate());
    }

    [TestMethod]
    public async Task StartAsync_FunctionErrorFromArgumentException_ThrowsInvalidInputWithTheLaunchersMessage()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) =>
        {
            c.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            return StubAnswers.WriteAsync(c, 200, "application/json", "{\"errorType\":\"ArgumentException\",\"errorMessage\":\"there is no export '20250101T000000Z-00000000' in the ledger\",\"stackTrace\":[\"at X\"]}");
        });
        using var clients = StubAnswers.CreateClients(server);
        var client = new LambdaLauncherClient(clients.RestJson, FanoutNames.LauncherFunction, "eu-west-1");

        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => client.StartAsync(new LaunchRequest("20250101T000000Z-00000000", ["111111111111"]), TestContext.CancellationToken));
        Assert.AreEqual(ServiceErrorKind.InvalidInput, e.Kind);

        Assert.AreEqual("the launcher rejected the request: there is no export '20250101T000000Z-00000000' in the ledger", e.Message);
    }

    [TestMethod]
    public async Task StartAsync_FunctionTimedOut_ThrowsInvalidOperationNamingTheFunctionAndError()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) =>
        {
            c.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
            return StubAnswers.WriteAsync(c, 200, "application/json", "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"Task timed out after 900.00 seconds\"}");
        });
        using var clients = StubAnswers.CreateClients(server);
        var client = new LambdaLauncherClient(clients.RestJson, "my-launcher", "eu-west-1");

        var e = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.StartAsync(new LaunchRequest(), TestContext.CancellationToken));

        StringAssert.Contains(e.Message, "the launcher function 'my-launcher' failed (Unhandled: Sandbox.Timedout): Task timed out after 900.00 seconds");
        Assert.HasCount(1, server.Requests, "a launch is never retried: another attempt would start another export");
    }

    [TestMethod]
    public async Task StartAsync_NoSuchFunction_NotFoundSayingHowToFindTheName()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 404, "application/json", "{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:eu-west-1:999999999999:function:sechub-fanout-launcher\"}", "ResourceNotFoundException"));
        using var clients = StubAnswers.CreateClients(server);
        var client = new LambdaLauncherClient(clients.RestJson, FanoutNames.LauncherFunction, "eu-west-1");

        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => client.StartAsync(new LaunchRequest(), TestContext.CancellationToken));

        Assert.AreEqual(ServiceErrorKind.NotFound, e.Kind);
        StringAssert.Contains(e.Message, $"there is no Lambda function '{FanoutNames.LauncherFunction}' in eu-west-1");
        StringAssert.Contains(e.Message, "--launcher-function");
    }

    [TestMethod]
    public async Task Constructor_Arn_ThrowsArgumentExceptionAskingForTheName()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 500, "application/json", "{}"));
        using var clients = StubAnswers.CreateClients(server);

        var e = Assert.ThrowsExactly<ArgumentException>(() => new LambdaLauncherClient(clients.RestJson, "arn:aws:lambda:eu-west-1:999999999999:function:x", "eu-west-1"));

        StringAssert.Contains(e.Message, "LauncherFunctionName output");
    }
}
