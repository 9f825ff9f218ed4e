using System.Text;
using Amazon.Runtime;
using Microsoft.AspNetCore.Http;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Endpoints;

namespace SecHubFanout.TestSupport.Stubs;

/// <summary>Canned answers and client wiring for tests against <see cref="StubAwsServer"/>.</summary>
public static class StubAnswers
{
    public static async Task WriteAsync(HttpContext context, int status, string contentType, string body, string? errorType = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        if (errorType is not null)
        {
            context.Response.Headers["x-amzn-ErrorType"] = errorType;
        }

        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    public static AwsClients CreateClients(StubAwsServer server, TimeSpan? timeout = null, string? accountId = null)
        => AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials(StubAwsServer.AccessKeyId, StubAwsServer.SecretKey),
            EndpointUrl = server.BaseUrl,
            Region = "eu-west-1",
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            AccountId = accountId,
            Environment = static _ => null,
        });

    public static AwsEndpointResolver Resolver(StubAwsServer server) => new(server.BaseUrl, static _ => null);
}
