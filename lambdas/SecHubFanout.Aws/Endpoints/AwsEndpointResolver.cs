namespace SecHubFanout.Aws.Endpoints;

/// <summary>
/// Picks a service's endpoint the way the AWS SDKs do: an explicit endpoint (<c>--endpoint-url</c>), then
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c> (both skipped when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>),
/// then the service's regional default in the Region's partition.
/// </summary>
public sealed class AwsEndpointResolver
{
    private readonly Uri? _explicitEndpoint;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates a resolver over an explicit endpoint (or null) and an environment-variable reader (a seam for tests).</summary>
    public AwsEndpointResolver(Uri? explicitEndpoint, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (explicitEndpoint is not null)
        {
            ValidateUrl(explicitEndpoint.OriginalString, "--endpoint-url");
        }

        _explicitEndpoint = explicitEndpoint;
        _environment = environment;
    }

    /// <summary>Creates a resolver that reads the process environment.</summary>
    public static AwsEndpointResolver FromEnvironment(Uri? explicitEndpoint = null) => new(explicitEndpoint, Environment.GetEnvironmentVariable);

    /// <summary>Resolves the endpoint of <paramref name="service"/> for calls about <paramref name="region"/>.</summary>
    public AwsEndpoint Resolve(AwsService service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(region);

        var signingRegion = service.IsGlobal ? GlobalRegion(region) : region;
        if (_explicitEndpoint is not null)
        {
            return new AwsEndpoint(_explicitEndpoint, signingRegion, true);
        }

        if (!IgnoreConfiguredEndpoints())
        {
            foreach (var name in (string[])[$"AWS_ENDPOINT_URL_{service.EnvironmentName}", "AWS_ENDPOINT_URL"])
            {
                var value = _environment(name);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return new AwsEndpoint(ValidateUrl(value.Trim(), name), signingRegion, true);
                }
            }
        }

        return new AwsEndpoint(new Uri($"https://{service.EndpointPrefix}.{signingRegion}.{DnsSuffix(signingRegion)}/"), signingRegion, false);
    }

    private bool IgnoreConfiguredEndpoints()
        => string.Equals(_environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    // Global services have one endpoint per partition, signed for that partition's home Region.
    private static string GlobalRegion(string region)
    {
        if (region.StartsWith("cn-", StringComparison.Ordinal))
        {
            return "cn-northwest-1";
        }

        return region.StartsWith("us-gov-", StringComparison.Ordinal) ? "us-gov-west-1" : "us-east-1";
    }

    private static Uri ValidateUrl(string value, string source)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{source} is '{value}', which is not an absolute http(s) URL: set it to something like http://127.0.0.1:4566 or unset it.");
        }

        return uri;
    }
}
