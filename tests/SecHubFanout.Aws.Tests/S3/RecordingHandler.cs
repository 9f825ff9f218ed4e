using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;

namespace SecHubFanout.Aws.Tests.S3;

/// <summary>Sits between the SDK and s3rver: records every request's method, path, query and headers, and can answer some requests itself with an injected error.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public RecordingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>When set and it returns a response for a request, that response is sent instead of forwarding to the server.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Inject { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, headers));
        if (Inject?.Invoke(request) is { } injected)
        {
            if (request.Content is not null)
            {
                // Drain the body like a real server would, so the SDK does not see a half-sent request.
                await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }

            injected.RequestMessage = request;
            return injected;
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public static HttpResponseMessage S3Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>test</RequestId></Error>", System.Text.Encoding.UTF8, "application/xml"),
    };
}

/// <summary>One request as it went on the wire.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Gives the SDK an HttpClient over the recording handler.</summary>
internal sealed class RecordingHttpClientFactory(RecordingHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
}
