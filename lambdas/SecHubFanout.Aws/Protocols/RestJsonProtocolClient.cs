using System.Net.Http.Headers;

namespace SecHubFanout.Aws.Protocols;

/// <summary>Calls rest-json services (Security Hub, Lambda): an HTTP method and path per operation, JSON bodies; one attempt per call, errors as <see cref="Core.Errors.ServiceCallException"/>.</summary>
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
        return _wire.SendAsync(context, method, pathAndQuery, Content(jsonBody), null, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="SendAsync"/>, but the response body comes in a pooled buffer (no new array per call, which matters for large
    /// answers such as GetFindings pages); dispose it when its bytes are no longer read.
    /// </summary>
    public Task<PooledResponseBody> SendPooledAsync(AwsCallContext context, HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? jsonBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return _wire.SendPooledAsync(context, method, pathAndQuery, Content(jsonBody), cancellationToken);
    }

    /// <summary>Like <see cref="SendAsync"/>, with extra request headers, and returns the response headers too (some operations answer in headers, for example Lambda's <c>X-Amz-Function-Error</c>).</summary>
    public Task<AwsResponse> SendForResponseAsync(
        AwsCallContext context,
        HttpMethod method,
        string pathAndQuery,
        ReadOnlyMemory<byte>? jsonBody,
        IEnumerable<KeyValuePair<string, string>>? headers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return _wire.SendForResponseAsync(context, method, pathAndQuery, Content(jsonBody), headers, cancellationToken);
    }

    private static ReadOnlyMemoryContent? Content(ReadOnlyMemory<byte>? jsonBody)
    {
        if (jsonBody is not { } body)
        {
            return null;
        }

        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }
}
