using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Cli.Tests.Orchestration;

/// <summary><c>sechub-fanout start</c> as a process against a local endpoint that verifies SigV4 and answers like Lambda Invoke.</summary>
[TestClass]
public sealed class StartCommandTests
{
    private const string ExportId = "20261123T180000Z-5ca1ab1e";

    private static readonly string LaunchAnswer = JsonSerializer.Serialize(
        new LaunchResult(ExportId, 0, ["eu-west-1", "us-east-1"], 2, []),
        OrchestrationJsonContext.Default.LaunchResult);

    [TestMethod]
    public async Task Start_Default_InvokesTheLauncherFunctionAndPrintsTheExportIdAndHowToWatchIt()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--regions", "eu-west-1,us-east-1", "--since", "2026-01-01T00:00:00Z");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var invoke = server.Requests.Single();
        Assert.IsTrue(invoke.Signature.IsValid, invoke.Signature.Error);
        Assert.AreEqual("lambda", invoke.Signature.Service);
        Assert.AreEqual("eu-west-1", invoke.Signature.Region);
        Assert.AreEqual($"/2015-03-31/functions/{FanoutNames.LauncherFunction}/invocations", invoke.Path);
        Assert.AreEqual("RequestResponse", invoke.Headers["x-amz-invocation-type"]);
        var sent = JsonSerializer.Deserialize(invoke.Body, OrchestrationJsonContext.Default.LaunchRequest)!;
        Assert.IsNull(sent.Accounts, "no --accounts: the launcher targets every account with the member exporter");
        CollectionAssert.AreEqual(new[] { "eu-west-1", "us-east-1" }, sent.Regions!.ToArray());
        Assert.AreEqual(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), sent.Since);
        StringAssert.Contains(result.Stdout, $"Started export {ExportId}: 2 account(s) started, 0 could not be started; Regions eu-west-1,us-east-1.");
        StringAssert.Contains(result.Stdout, $"sechub-fanout status {ExportId}");
    }

    [TestMethod]
    public async Task Start_LauncherFunctionOption_InvokesThatFunctionWithTheRestart()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--launcher-function", "SecHubFanout-Launcher-1A2B3C", "--export-id", ExportId, "--accounts", "222222222222", "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var invoke = server.Requests.Single();
        Assert.AreEqual("/2015-03-31/functions/SecHubFanout-Launcher-1A2B3C/invocations", invoke.Path);
        var sent = JsonSerializer.Deserialize(invoke.Body, OrchestrationJsonContext.Default.LaunchRequest)!;
        Assert.AreEqual(ExportId, sent.ExportId);
        CollectionAssert.AreEqual(new[] { "222222222222" }, sent.Accounts!.ToArray());
        Assert.AreEqual(ExportId, JsonSerializer.Deserialize(result.Stdout, OrchestrationJsonContext.Default.LaunchResult)!.ExportId);
    }

    [TestMethod]
    public async Task Start_LauncherRejectsTheRequest_Exit2WithItsReason()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => FunctionErrorAsync(c, "ArgumentException", "there is no export '20250101T000000Z-00000000' in the ledger"));

        var result = await RunAsync(server, "start", "--export-id", "20250101T000000Z-00000000", "--accounts", "111111111111");

        Assert.AreEqual(2, result.ExitCode, result.Stdout);
        StringAssert.Contains(result.Stderr, "error: the launcher rejected the request: there is no export '20250101T000000Z-00000000' in the ledger");
    }

    [TestMethod]
    public async Task Start_LauncherFails_Exit1NamingTheFunctionAndError()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => FunctionErrorAsync(c, "InvalidOperationException", "no target accounts: the StackSet has no instances"));

        var result = await RunAsync(server, "start");

        Assert.AreEqual(1, result.ExitCode, result.Stdout);
        StringAssert.Contains(result.Stderr, $"the launcher function '{FanoutNames.LauncherFunction}' failed (Unhandled: InvalidOperationException): no target accounts");
    }

    [TestMethod]
    public async Task Start_SomeAccountsNotStarted_Exit1WithRetryCommand()
    {
        var answer = JsonSerializer.Serialize(
            new LaunchResult(ExportId, 0, ["eu-west-1"], 4, [new AccountLaunchResult("333333333333", null, "could not start the exporter in account 333333333333: AccessDenied")]),
            OrchestrationJsonContext.Default.LaunchResult);
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", answer));

        var result = await RunAsync(server, "start");

        Assert.AreEqual(1, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Started export {ExportId}: 4 account(s) started, 1 could not be started; Regions eu-west-1.");
        StringAssert.Contains(result.Stdout, "333333333333: could not start the exporter in account 333333333333: AccessDenied");
        StringAssert.Contains(result.Stdout, $"sechub-fanout start --export-id {ExportId} --accounts 333333333333");
    }

    [TestMethod]
    public async Task Start_LaunchContinuedInTheBackground_SaysSoAndHowToWatchIt()
    {
        var answer = JsonSerializer.Serialize(new LaunchResult(ExportId, 0, [], 950, [], Continued: true), OrchestrationJsonContext.Default.LaunchResult);
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", answer));

        var result = await RunAsync(server, "start");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Started export {ExportId}: 950 account(s) started, 0 could not be started; Regions the ones enabled in each account.");
        StringAssert.Contains(result.Stdout, "The launcher goes on starting the remaining accounts in the background");
        StringAssert.Contains(result.Stdout, $"sechub-fanout status {ExportId}");
    }

    [TestMethod]
    public async Task Start_RestartAnswered_SaysHowManyAccountsWereRestarted()
    {
        var answer = JsonSerializer.Serialize(new LaunchResult(ExportId, 2, ["eu-west-1"], 1, [new AccountLaunchResult("333333333333", null, "could not stop the execution it replaces")]), OrchestrationJsonContext.Default.LaunchResult);
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", answer));

        var result = await RunAsync(server, "start", "--export-id", ExportId, "--accounts", "222222222222,333333333333");

        Assert.AreEqual(1, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, $"Restarted 2 account(s) of export {ExportId}: 1 account(s) started, 1 could not be started");
        StringAssert.Contains(result.Stdout, $"sechub-fanout start --export-id {ExportId} --accounts 333333333333");
    }

    [TestMethod]
    public async Task Start_RestartWithRegions_Exit2WithoutInvoking()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--export-id", ExportId, "--accounts", "111111111111", "--regions", "eu-west-1");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "a restart keeps the export's own Regions");
        Assert.IsEmpty(server.Requests);
    }

    [TestMethod]
    public async Task Start_Incremental_SendsIncrementalWithTheOverlap()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--incremental", "--overlap", "30m");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var sent = JsonSerializer.Deserialize(server.Requests.Single().Body, OrchestrationJsonContext.Default.LaunchRequest)!;
        Assert.IsTrue(sent.Incremental);
        Assert.AreEqual(TimeSpan.FromMinutes(30), sent.IncrementalOverlap());
        Assert.IsNull(sent.Since);
    }

    [TestMethod]
    [DataRow("--since", "2026-01-01T00:00:00Z", "--since and --incremental do not go together")]
    [DataRow("--filters", "{\"RecordState\":[{\"Value\":\"ACTIVE\",\"Comparison\":\"EQUALS\"}]}", "drop --filters")]
    [DataRow("--overlap", "15 minutes", "overlap: '15 minutes' is not an overlap")]
    public async Task Start_IncrementalWithWhatItCannotTake_Exit2WithoutInvoking(string option, string value, string named)
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--incremental", option, value);

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, named);
        Assert.IsEmpty(server.Requests);
    }

    [TestMethod]
    public async Task Start_BadSince_Exit2WithoutInvoking()
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--since", "yesterday");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "--since 'yesterday' is not an ISO-8601 time");
        Assert.IsEmpty(server.Requests);
    }

    [TestMethod]
    [DataRow("{\"UpdatedAt\":[{\"Start\":\"2026-01-01T00:00:00Z\",\"End\":\"2026-02-01T00:00:00Z\"}]}", "\"UpdatedAt\", which the export uses for its own time windows")]
    [DataRow("{\"SeverityLabel\":\"HIGH\"}", "Filter \"SeverityLabel\" must be an array of filter objects")]
    [DataRow("[1,2]", "must be a JSON object")]
    public async Task Start_FiltersTheExportersWouldReject_Exit2NamingTheProblemWithoutInvoking(string filters, string named)
    {
        await using var server = await StubAwsServer.StartAsync((r, c) => StubAnswers.WriteAsync(c, 200, "application/json", LaunchAnswer));

        var result = await RunAsync(server, "start", "--filters", filters);

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, named);
        Assert.IsEmpty(server.Requests);
    }

    private static Task FunctionErrorAsync(HttpContext context, string type, string message)
    {
        context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
        return StubAnswers.WriteAsync(context, 200, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["errorType"] = type, ["errorMessage"] = message }));
    }

    private static Task<CliProcess.Result> RunAsync(StubAwsServer server, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.Environment["AWS_ACCESS_KEY_ID"] = StubAwsServer.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = StubAwsServer.SecretKey;
        info.Environment["AWS_REGION"] = "eu-west-1";
        info.Environment["AWS_ENDPOINT_URL_LAMBDA"] = server.BaseUrl.ToString();
        info.Environment.Remove("AWS_ENDPOINT_URL");
        info.Environment.Remove("AWS_PROFILE");
        info.Environment.Remove("AWS_SESSION_TOKEN");
        return CliProcess.RunAsync(info, args);
    }
}
