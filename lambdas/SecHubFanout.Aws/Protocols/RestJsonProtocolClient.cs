using System.Net.Http.Headers;

namespace SecHubFanout.Aws.Protocols;

/// <summary>Calls rest-json services (Security Hub): an HTTP method and path per operation, JSON bodies; one attempt per call, errors as <see cref="Core.Errors.ServiceCallException"/>.</summary>
public sealed class RestJsonProtocolClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly AwsWire _wire;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose pipeline contains a <see cref="Signing.SigV4SigningHandler"/>.</summary>
    public RestJsonProtocolClient(HttpClient signedHttpClient, Endpoints.AwsEndpointResolver endpoints)
    {
        _wire = new AwsWire(signedHttpClient, endpoints);
    }

    /// <summary>Sends one request to <paramref name="pathAndQuery"/> (relative to the service endpoint) with an optional JSON body and returns the response body.</summary>
    public Task<byte[]> SendAsync(AwsCallContext context, HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? jsonBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        HttpContent? content = null;
        if (jsonBody is { } body)
        {
            content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = JsonMediaType;
        }

        return _wire.SendAsync(context, method, pathAndQuery, content, null, cancellationToken);
    }
}
