using Microsoft.AspNetCore.Http;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Errors;
using SecHubFanout.TestSupport.Stubs;

namespace SecHubFanout.Aws.Tests.Protocols;

[TestClass]
public sealed class AwsErrorMappingTests
{
    private static StubAwsServer s_server = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_server = await StubAwsServer.StartScriptedAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await s_server.DisposeAsync();

    [TestMethod]
    // rest-json (Security Hub): code in x-amzn-ErrorType, message in the body
    [DataRow("rest-json", 429, "TooManyRequestsException", "{\"message\":\"Too Many Requests\"}", ServiceErrorKind.Throttled, "TooManyRequestsException")]
    [DataRow("rest-json", 429, null, "{\"__type\":\"com.amazonaws.securityhub#LimitExceededException\",\"Message\":\"Rate exceeded\"}", ServiceErrorKind.Throttled, "LimitExceededException")]
    [DataRow("rest-json", 429, null, "", ServiceErrorKind.Throttled, null)]
    [DataRow("rest-json", 401, "InvalidAccessException:http://internal.amazon.com/coral/com.amazonaws.securityhub/", "{\"Code\":\"InvalidAccessException\",\"Message\":\"Account 111122223333 is not subscribed to AWS Security Hub\"}", ServiceErrorKind.NotEnabled, "InvalidAccessException")]
    [DataRow("rest-json", 400, "InvalidInputException", "{\"Code\":\"InvalidInputException\",\"Message\":\"Invalid NextToken: Input Query has changed\"}", ServiceErrorKind.InvalidNextToken, "InvalidInputException")]
    [DataRow("rest-json", 400, "InvalidInputException", "{\"Code\":\"InvalidInputException\",\"Message\":\"DateFilter needs an End\"}", ServiceErrorKind.InvalidInput, "InvalidInputException")]
    [DataRow("rest-json", 403, "AccessDeniedException", "{\"Message\":\"User is not authorized to perform: securityhub:GetFindings\"}", ServiceErrorKind.AccessDenied, "AccessDeniedException")]
    [DataRow("rest-json", 403, null, "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the request is invalid.\"}", ServiceErrorKind.AccessDenied, "UnrecognizedClientException")]
    [DataRow("rest-json", 404, "ResourceNotFoundException", "{\"Message\":\"Not found\"}", ServiceErrorKind.NotFound, "ResourceNotFoundException")]
    [DataRow("rest-json", 500, "InternalException", "{\"Message\":\"Internal service failure\"}", ServiceErrorKind.Transient, "InternalException")]
    [DataRow("rest-json", 502, null, "<html><body>Bad Gateway</body></html>", ServiceErrorKind.Transient, null)]
    // JSON 1.0/1.1: code in "__type" with a namespace, HTTP 400 for nearly everything
    [DataRow("json", 400, null, "{\"__type\":\"com.amazonaws.organizations.v20161128#TooManyRequestsException\",\"Message\":\"AWS Organizations can't complete your request because another request is already in progress.\"}", ServiceErrorKind.Throttled, "TooManyRequestsException")]
    [DataRow("json", 400, null, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", ServiceErrorKind.Throttled, "ThrottlingException")]
    [DataRow("json", 400, null, "{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\",\"message\":\"The security token included in the request is expired\"}", ServiceErrorKind.AccessDenied, "ExpiredTokenException")]
    [DataRow("json", 400, null, "{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\",\"message\":\"The request signature we calculated does not match\"}", ServiceErrorKind.AccessDenied, "InvalidSignatureException")]
    [DataRow("json", 400, null, "{\"__type\":\"com.amazonaws.organizations.v20161128#InvalidInputException\",\"Message\":\"You specified an invalid value for nextToken.\"}", ServiceErrorKind.InvalidNextToken, "InvalidInputException")]
    [DataRow("json", 400, null, "{\"__type\":\"com.amazonaws.glue#EntityNotFoundException\",\"Message\":\"Database x not found.\"}", ServiceErrorKind.NotFound, "EntityNotFoundException")]
    [DataRow("json", 400, null, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Event bus x does not exist.\"}", ServiceErrorKind.NotFound, "ResourceNotFoundException")]
    [DataRow("json", 400, null, "{\"__type\":\"ValidationException\",\"message\":\"1 validation error detected\"}", ServiceErrorKind.InvalidInput, "ValidationException")]
    [DataRow("json", 400, "InvalidExecutionInput:http://internal.amazon.com/coral/com.amazonaws.swf.service.v2.model/", "{\"message\":\"Invalid State Machine Execution Input\"}", ServiceErrorKind.InvalidInput, "InvalidExecutionInput")]
    [DataRow("json", 503, null, "{\"__type\":\"ServiceUnavailable\"}", ServiceErrorKind.Transient, "ServiceUnavailable")]
    // query (SNS/STS/CloudFormation ErrorResponse, EC2 Response/Errors, S3-style Error)
    [DataRow("query", 400, null, "<ErrorResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>", ServiceErrorKind.Throttled, "Throttling")]
    [DataRow("query", 503, null, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>", ServiceErrorKind.Throttled, "RequestLimitExceeded")]
    [DataRow("query", 503, null, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", ServiceErrorKind.Throttled, "SlowDown")]
    [DataRow("query", 403, null, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></ErrorResponse>", ServiceErrorKind.AccessDenied, "SignatureDoesNotMatch")]
    [DataRow("query", 401, null, "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors></Response>", ServiceErrorKind.AccessDenied, "AuthFailure")]
    [DataRow("query", 400, null, "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>", ServiceErrorKind.AccessDenied, "ExpiredToken")]
    [DataRow("query", 400, null, "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>Bad filter</Message></Error></Errors></Response>", ServiceErrorKind.InvalidInput, "InvalidParameterValue")]
    [DataRow("query", 404, null, "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>", ServiceErrorKind.NotFound, "NotFound")]
    [DataRow("query", 500, null, "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error></ErrorResponse>", ServiceErrorKind.Transient, "InternalError")]
    public async Task Call_CannedErrorAnswer_MapsToKind(string protocol, int status, string? errorType, string body, ServiceErrorKind expectedKind, string? expectedCode)
    {
        // Arrange
        var contentType = protocol switch { "query" => "text/xml", "json" => "application/x-amz-json-1.1", _ => "application/json" };
        s_server.Answer = http => StubAnswers.WriteAsync(http, status, contentType, body, errorType);
        using var clients = StubAnswers.CreateClients(s_server);

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => CallAsync(clients, protocol, CancellationToken.None));

        // Assert
        Assert.AreEqual(expectedKind, e.Kind, e.Message);
        Assert.AreEqual(expectedCode, e.ErrorCode);
        Assert.AreEqual(status, e.StatusCode);
        Assert.Contains("eu-west-1", e.Message);
        Assert.IsTrue(s_server.Requests.Last().Signature.IsValid, s_server.Requests.Last().Signature.Error);
    }

    [TestMethod]
    public async Task GetFindings_NotEnabled_MessageNamesRegionAccountAndRemedy()
    {
        // Arrange
        s_server.Answer = http => StubAnswers.WriteAsync(http, 401, "application/json", "{\"Message\":\"Account is not subscribed to AWS Security Hub\"}", "InvalidAccessException");
        using var clients = StubAnswers.CreateClients(s_server, accountId: "111122223333");
        var source = clients.CreateFindingSource();

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => source.GetFindingsAsync(new("eu-west-1", "{}"u8.ToArray(), null), CancellationToken.None));

        // Assert
        Assert.AreEqual(ServiceErrorKind.NotEnabled, e.Kind);
        Assert.StartsWith("Security Hub is not enabled in eu-west-1 for account 111122223333", e.Message);
        Assert.Contains("leave the Region out of the export", e.Message);
    }

    [TestMethod]
    [DataRow("rest-json")]
    [DataRow("json")]
    [DataRow("query")]
    public async Task Call_ConnectionDropped_Transient(string protocol)
    {
        // Arrange
        s_server.Answer = static http =>
        {
            http.Abort();
            return Task.CompletedTask;
        };
        using var clients = StubAnswers.CreateClients(s_server);

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => CallAsync(clients, protocol, CancellationToken.None));

        // Assert
        Assert.AreEqual(ServiceErrorKind.Transient, e.Kind);
        Assert.IsTrue(e.IsRetryable);
        Assert.IsNull(e.StatusCode);
        Assert.Contains(s_server.BaseUrl.Authority, e.Message);
    }

    [TestMethod]
    public async Task Call_AnswerSlowerThanTimeout_TransientTimeout()
    {
        // Arrange
        s_server.Answer = static http => Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
        using var clients = StubAnswers.CreateClients(s_server, timeout: TimeSpan.FromMilliseconds(300));

        // Act
        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => CallAsync(clients, "rest-json", CancellationToken.None));

        // Assert
        Assert.AreEqual(ServiceErrorKind.Transient, e.Kind);
        Assert.Contains("timed out", e.Message);
    }

    [TestMethod]
    public async Task Call_CallerCancels_CancellationPropagatesUnwrapped()
    {
        // Arrange
        s_server.Answer = static http => Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
        using var clients = StubAnswers.CreateClients(s_server);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // Act / Assert
        await Assert.ThrowsAsync<OperationCanceledException>(() => CallAsync(clients, "json", cts.Token));
    }

    private static Task CallAsync(AwsClients clients, string protocol, CancellationToken cancellationToken) => protocol switch
    {
        "rest-json" => clients.RestJson.SendAsync(new AwsCallContext(AwsService.SecurityHub, "eu-west-1", "GetFindings"), HttpMethod.Post, "/findings", "{}"u8.ToArray(), cancellationToken),
        "json" => clients.Json.InvokeAsync(new AwsCallContext(AwsService.Organizations, "eu-west-1", "ListAccounts"), "{}"u8.ToArray(), cancellationToken),
        _ => clients.Query.InvokeAsync(new AwsCallContext(AwsService.Sns, "eu-west-1", "Publish"), [new("TopicArn", "arn:aws:sns:eu-west-1:111122223333:t"), new("Message", "hi")], cancellationToken),
    };
}
