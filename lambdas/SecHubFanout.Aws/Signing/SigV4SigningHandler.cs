using Amazon.Runtime;

namespace SecHubFanout.Aws.Signing;

/// <summary>Signs every outgoing request with SigV4 using the Region and signing name set in the request's options and credentials resolved per request (so refreshing credentials keep working).</summary>
public sealed class SigV4SigningHandler : DelegatingHandler
{
    /// <summary>The request option holding the Region of the credential scope (for example <c>eu-west-1</c>).</summary>
    public static readonly HttpRequestOptionsKey<string> RegionOption = new("SecHubFanout.SigV4.Region");

    /// <summary>The request option holding the signing name of the service (for example <c>securityhub</c>).</summary>
    public static readonly HttpRequestOptionsKey<string> ServiceOption = new("SecHubFanout.SigV4.Service");

    private readonly AWSCredentials _credentials;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a handler that signs with <paramref name="credentials"/> at the time given by <paramref name="timeProvider"/>.</summary>
    public SigV4SigningHandler(AWSCredentials credentials, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _credentials = credentials;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a handler with an inner handler (for use outside an <c>HttpClientFactory</c> pipeline).</summary>
    public SigV4SigningHandler(AWSCredentials credentials, TimeProvider timeProvider, HttpMessageHandler innerHandler)
        : this(credentials, timeProvider)
    {
        InnerHandler = innerHandler;
    }

    /// <summary>Sets the Region and signing name that this handler will use for <paramref name="request"/>.</summary>
    public static void SetScope(HttpRequestMessage request, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        request.Options.Set(RegionOption, region);
        request.Options.Set(ServiceOption, service);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await SignAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute RequestUri.");
        if (!uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("A request to sign needs an absolute RequestUri (set HttpClient.BaseAddress or pass a full URL).");
        }

        if (!request.Options.TryGetValue(RegionOption, out var region) || !request.Options.TryGetValue(ServiceOption, out var service))
        {
            throw new InvalidOperationException("The request lacks a SigV4 Region or signing name: call SigV4SigningHandler.SetScope before sending.");
        }

        var credentials = await _credentials.GetCredentialsAsync().ConfigureAwait(false);
        var amzDate = SigV4.FormatAmzDate(_timeProvider.GetUtcNow());

        byte[] body = [];
        if (request.Content is not null)
        {
            // Buffers the content, so it can be both hashed here and sent below.
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        request.Headers.Remove("Authorization");
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Remove("X-Amz-Security-Token");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (credentials.UseToken)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", request.Headers.Host ?? uri.Authority),
        };
        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(header.Key.ToLowerInvariant(), string.Join(',', header.Value)));
            }
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        var signedHeaders = headers.Select(static h => h.Key).Distinct(StringComparer.Ordinal).ToArray();
        var canonical = SigV4.CanonicalRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, signedHeaders, SigV4.Sha256Hex(body));
        var signature = SigV4.ComputeSignature(credentials.SecretKey, amzDate, region, service, canonical);
        request.Headers.TryAddWithoutValidation("Authorization", SigV4.AuthorizationHeader(credentials.AccessKey, amzDate, region, service, signedHeaders, signature));
    }
}
