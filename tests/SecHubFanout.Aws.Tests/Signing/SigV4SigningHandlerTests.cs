using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Signing;
using V = SecHubFanout.Aws.Tests.Signing.SigV4TestSuiteVectors;

namespace SecHubFanout.Aws.Tests.Signing;

[TestClass]
public sealed class SigV4SigningHandlerTests
{
    [TestMethod]
    public async Task SendAsync_GetVanilla_ProducesSuiteAuthorization()
    {
        // Arrange
        var (client, capture) = CreateClient(new BasicAWSCredentials(V.AccessKeyId, V.SecretKey));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        SigV4SigningHandler.SetScope(request, V.Region, V.Service);

        // Act
        using var response = await client.SendAsync(request);

        // Assert
        Assert.AreEqual(V.All["get-vanilla"].Authorization, capture.Single().Headers["authorization"]);
        Assert.AreEqual(V.AmzDate, capture.Single().Headers["x-amz-date"]);
    }

    [TestMethod]
    public async Task SendAsync_FormBody_ProducesSuiteAuthorization()
    {
        // Arrange
        var (client, capture) = CreateClient(new BasicAWSCredentials(V.AccessKeyId, V.SecretKey));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new ByteArrayContent("Param1=value1"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        SigV4SigningHandler.SetScope(request, V.Region, V.Service);

        // Act
        using var response = await client.SendAsync(request);

        // Assert
        Assert.AreEqual(V.All["post-x-www-form-urlencoded"].Authorization, capture.Single().Headers["authorization"]);
        CollectionAssert.AreEqual("Param1=value1"u8.ToArray(), capture.Single().Body);
    }

    [TestMethod]
    public async Task SendAsync_SessionCredentials_SignsAndSendsToken()
    {
        // Arrange
        var (client, capture) = CreateClient(new SessionAWSCredentials(V.AccessKeyId, V.SecretKey, V.SessionToken));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        SigV4SigningHandler.SetScope(request, V.Region, V.Service);

        // Act
        using var response = await client.SendAsync(request);

        // Assert
        Assert.AreEqual(V.All["post-sts-header-before"].Authorization, capture.Single().Headers["authorization"]);
        Assert.AreEqual(V.SessionToken, capture.Single().Headers["x-amz-security-token"]);
    }

    [TestMethod]
    public async Task SendAsync_RoundTrip_VerifyAcceptsAndRejectsTamperedHeader()
    {
        // Arrange
        var (client, capture) = CreateClient(new SessionAWSCredentials("AKIDROUNDTRIP", "round-trip-secret", "token-1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:8443/findings?b=2&a=1")
        {
            Content = new ByteArrayContent("{\"MaxResults\":100}"u8.ToArray()),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Some.Operation");
        SigV4SigningHandler.SetScope(request, "eu-west-1", "securityhub");
        Func<string, string?> secrets = key => key == "AKIDROUNDTRIP" ? "round-trip-secret" : null;

        // Act
        using var response = await client.SendAsync(request);
        var sent = capture.Single();
        var accepted = SigV4.Verify("POST", "/findings", "b=2&a=1", sent.Headers, sent.Body, secrets);
        var tampered = new Dictionary<string, string>(sent.Headers) { ["x-amz-target"] = "Other.Operation" };
        var rejected = SigV4.Verify("POST", "/findings", "b=2&a=1", tampered, sent.Body, secrets);

        // Assert
        Assert.IsTrue(accepted.IsValid, accepted.Error);
        Assert.AreEqual("eu-west-1", accepted.Region);
        Assert.AreEqual("securityhub", accepted.Service);
        Assert.Contains("x-amz-target", sent.Headers["authorization"]);
        Assert.IsFalse(rejected.IsValid);
    }

    [TestMethod]
    public async Task SendAsync_NoScope_ThrowsInvalidOperation()
    {
        // Arrange
        var (client, _) = CreateClient(new BasicAWSCredentials(V.AccessKeyId, V.SecretKey));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        // Act / Assert
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.SendAsync(request));
    }

    private static (HttpClient Client, List<CapturedRequest> Capture) CreateClient(AWSCredentials credentials)
    {
        var capture = new List<CapturedRequest>();
        var handler = new SigV4SigningHandler(credentials, new FakeTimeProvider(V.SignedAt), new CapturingHandler(capture));
        return (new HttpClient(handler), capture);
    }

    private sealed record CapturedRequest(Dictionary<string, string> Headers, byte[] Body);

    private sealed class CapturingHandler(List<CapturedRequest> capture) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["host"] = request.RequestUri!.Authority };
            foreach (var h in request.Headers)
            {
                headers[h.Key.ToLowerInvariant()] = string.Join(',', h.Value);
            }

            byte[] body = [];
            if (request.Content is not null)
            {
                foreach (var h in request.Content.Headers)
                {
                    headers[h.Key.ToLowerInvariant()] = string.Join(',', h.Value);
                }

                body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            }

            capture.Add(new CapturedRequest(headers, body));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
