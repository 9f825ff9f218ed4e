using System.Net.Http.Headers;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Signing;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Protocols;

/// <summary>The one send path under the three protocol clients: endpoint, SigV4 scope, one attempt (callers retry), error mapping.</summary>
internal sealed class AwsWire
{
    private readonly HttpClient _http;
    private readonly AwsEndpointResolver _endpoints;

    public AwsWire(HttpClient signedHttpClient, AwsEndpointResolver endpoints)
    {
        ArgumentNullException.ThrowIfNull(signedHttpClient);
        ArgumentNullException.ThrowIfNull(endpoints);
        _http = signedHttpClient;
        _endpoints = endpoints;
    }

    public async Task<byte[]> SendAsync(
        AwsCallContext context,
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        IEnumerable<KeyValuePair<string, string>>? headers,
        CancellationToken cancellationToken)
        => (await SendForResponseAsync(context, method, pathAndQuery, content, headers, cancellationToken).ConfigureAwait(false)).Body;

    public Task<AwsResponse> SendForResponseAsync(
        AwsCallContext context,
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        IEnumerable<KeyValuePair<string, string>>? headers,
        CancellationToken cancellationToken)
        => SendCoreAsync(context, method, pathAndQuery, content, headers, ReadBodyAsync, cancellationToken);

    /// <summary>
    /// Like <see cref="SendAsync"/>, but streams a successful body into a pooled buffer instead of a new array; the caller disposes it.
    /// </summary>
    public Task<PooledResponseBody> SendPooledAsync(AwsCallContext context, HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
        => SendCoreAsync(context, method, pathAndQuery, content, null, ReadPooledBodyAsync, cancellationToken);

    private static async Task<AwsResponse> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        => new(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), Headers(response));

    private static async Task<PooledResponseBody> ReadPooledBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await PooledResponseBody.ReadAsync(stream, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
        }
    }

    // One attempt: the body is read as it streams in (no intermediate buffer), and the client's timeout covers the whole call,
    // body included (with ResponseHeadersRead the client's own timeout stops at the headers).
    private async Task<T> SendCoreAsync<T>(
        AwsCallContext context,
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        IEnumerable<KeyValuePair<string, string>>? headers,
        Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = _endpoints.Resolve(context.Service, context.Region);
        using var request = new HttpRequestMessage(method, Combine(endpoint.Url, pathAndQuery)) { Content = content };
        SigV4SigningHandler.SetScope(request, endpoint.SigningRegion, context.Service.SigningName);
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_http.Timeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(_http.Timeout);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await readSuccess(response, timeout.Token).ConfigureAwait(false);
            }

            var error = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            throw AwsErrorMapper.FromResponse(context, response.StatusCode, ErrorTypeHeader(response.Headers), error);
        }
        catch (ServiceCallException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException
            or Amazon.Runtime.AmazonClientException or Amazon.Runtime.AmazonServiceException)
        {
            throw AwsErrorMapper.FromException(context, endpoint.Url, e, _http.Timeout);
        }
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(',', values);
        }

        return headers;
    }

    private static string? ErrorTypeHeader(HttpResponseHeaders headers)
        => headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;

    private static Uri Combine(Uri baseUrl, string pathAndQuery)
    {
        var query = string.Empty;
        var path = pathAndQuery;
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = pathAndQuery[(q + 1)..];
            path = pathAndQuery[..q];
        }

        var builder = new UriBuilder(baseUrl)
        {
            Path = baseUrl.AbsolutePath.TrimEnd('/') + "/" + path.TrimStart('/'),
            Query = query,
        };
        return builder.Uri;
    }
}
