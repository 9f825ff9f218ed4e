using System.Net.Http.Headers;

namespace SecHubFanout.Aws.Protocols;

/// <summary>
/// Calls JSON 1.0/1.1 services (Organizations, EventBridge, Glue, Step Functions): <c>POST /</c> with
/// <c>X-Amz-Target: &lt;TargetPrefix&gt;.&lt;Operation&gt;</c> and <c>Content-Type: application/x-amz-json-&lt;version&gt;</c>;
/// one attempt per call, errors as <see cref="Core.Errors.ServiceCallException"/>.
/// </summary>
public sealed class JsonProtocolClient
{
    private readonly AwsWire _wire;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose pipeline contains a <see cref="Signing.SigV4SigningHandler"/>.</summary>
    public JsonProtocolClient(HttpClient signedHttpClient, Endpoints.AwsEndpointResolver endpoints)
    {
        _wire = new AwsWire(signedHttpClient, endpoints);
    }

    /// <summary>Invokes <c>context.Operation</c> with a JSON request body (use <c>{}</c> for none) and returns the JSON response body.</summary>
    public Task<byte[]> InvokeAsync(AwsCallContext context, ReadOnlyMemory<byte> jsonBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var service = context.Service;
        if (service.TargetPrefix is null || service.JsonVersion is null)
        {
            throw new ArgumentException($"{service.DisplayName} is not a JSON-protocol service (no TargetPrefix/JsonVersion).", nameof(context));
        }

        var content = new ReadOnlyMemoryContent(jsonBody);
        content.Headers.ContentType = new MediaTypeHeaderValue($"application/x-amz-json-{service.JsonVersion}");
        KeyValuePair<string, string>[] headers = [new("X-Amz-Target", $"{service.TargetPrefix}.{context.Operation}")];
        return _wire.SendAsync(context, HttpMethod.Post, "/", content, headers, cancellationToken);
    }
}
