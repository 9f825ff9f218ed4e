using System.Net;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;
using SecHubFanout.Aws.Auth;
using SecHubFanout.Aws.Ec2;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Aws.SecurityHub;
using SecHubFanout.Aws.Signing;
using SecHubFanout.Core.Findings;

namespace SecHubFanout.Aws;

/// <summary>One place that turns <see cref="AwsClientOptions"/> into working clients: the signed protocol clients, the finding source, the Region catalog and configured SDK clients.</summary>
public sealed class AwsClients : IDisposable
{
    private readonly AwsClientOptions _options;
    private readonly HttpMessageHandler _primaryHandler;
    private readonly HttpClient _http;

    private AwsClients(AwsClientOptions options, AWSCredentials credentials, HttpMessageHandler? primaryHandler, bool ownsHandler)
    {
        _options = options;
        Credentials = credentials;
        Endpoints = new AwsEndpointResolver(options.EndpointUrl, options.Environment);
        HomeRegion = FirstNonEmpty(options.Region, options.Environment("AWS_REGION"), options.Environment("AWS_DEFAULT_REGION"));
        _primaryHandler = primaryHandler ?? CreatePrimaryHandler();
        _http = CreateSignedHttpClient(credentials, options.TimeProvider, options.Timeout, _primaryHandler, ownsHandler);
        RestJson = new RestJsonProtocolClient(_http, Endpoints);
        Json = new JsonProtocolClient(_http, Endpoints);
        Query = new QueryProtocolClient(_http, Endpoints);
    }

    /// <summary>The credentials every client signs with.</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>The endpoint resolver shared by all clients.</summary>
    public AwsEndpointResolver Endpoints { get; }

    /// <summary>The home Region, or null when neither the options nor <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c> name one.</summary>
    public string? HomeRegion { get; }

    /// <summary>The rest-json client (Security Hub).</summary>
    public RestJsonProtocolClient RestJson { get; }

    /// <summary>The JSON 1.0/1.1 client (Organizations, EventBridge, Glue, Step Functions).</summary>
    public JsonProtocolClient Json { get; }

    /// <summary>The query-protocol client (EC2, SNS, CloudFormation).</summary>
    public QueryProtocolClient Query { get; }

    /// <summary>Creates the clients, resolving credentials from the options (explicit, profile, or default chain); throws an AccessDenied <see cref="Core.Errors.ServiceCallException"/> when there are none.</summary>
    public static async Task<AwsClients> CreateAsync(AwsClientOptions options, CancellationToken cancellationToken, HttpMessageHandler? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var credentials = options.Credentials ?? await new AwsCredentialsResolver().ResolveAsync(options.Profile, cancellationToken).ConfigureAwait(false);
        return new AwsClients(options, credentials, primaryHandler, ownsHandler: true);
    }

    /// <summary>Creates the clients with the credentials already in <paramref name="options"/> (no lookup).</summary>
    public static AwsClients Create(AwsClientOptions options, HttpMessageHandler? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var credentials = options.Credentials ?? throw new ArgumentException("AwsClientOptions.Credentials is null: use CreateAsync to resolve a profile or the default chain.", nameof(options));
        return new AwsClients(options, credentials, primaryHandler, ownsHandler: true);
    }

    /// <summary>Builds an <see cref="HttpClient"/> that signs every request (no retries: callers wrap calls in the retry pipeline so that rate limiting sees every attempt).</summary>
    public static HttpClient CreateSignedHttpClient(AWSCredentials credentials, TimeProvider timeProvider, TimeSpan timeout, HttpMessageHandler? primaryHandler = null, bool disposeHandler = true)
    {
        var client = new HttpClient(new SigV4SigningHandler(credentials, timeProvider, primaryHandler ?? CreatePrimaryHandler()), disposeHandler) { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("sechub-fanout/1.0");
        return client;
    }

    /// <summary>Clients that sign with other credentials (for example a member account's assumed role) and share this instance's connections, endpoints, timeout and clock; dispose them before this one.</summary>
    public AwsClients WithCredentials(AWSCredentials credentials, string? accountId = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new AwsClients(_options with { Credentials = credentials, AccountId = accountId }, credentials, _primaryHandler, ownsHandler: false);
    }

    /// <summary>The Security Hub finding source for the account of these credentials.</summary>
    public IFindingSource CreateFindingSource() => new SecurityHubFindingSource(RestJson, _options.AccountId);

    /// <summary>The EC2 Region catalog for the account of these credentials.</summary>
    public Ec2RegionCatalog CreateRegionCatalog() => new(Query);

    /// <summary>An STS client (AWSSDK.SecurityToken) for <paramref name="region"/> (default: the home Region).</summary>
    public AmazonSecurityTokenServiceClient CreateStsClient(string? region = null)
        => new(Credentials, Configure(new AmazonSecurityTokenServiceConfig(), AwsService.Sts, region));

    /// <summary>An S3 client (AWSSDK.S3) for <paramref name="region"/> (default: the home Region); path-style and checksums only when required against custom endpoints.</summary>
    public AmazonS3Client CreateS3Client(string? region = null)
    {
        var config = Configure(new AmazonS3Config(), AwsService.S3, region);
        if (config.ServiceURL is not null)
        {
            // Local S3-protocol servers (s3rver) know neither virtual-hosted buckets nor the newer default checksums.
            config.ForcePathStyle = true;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        return new AmazonS3Client(Credentials, config);
    }

    /// <summary>A DynamoDB client (AWSSDK.DynamoDBv2) for <paramref name="region"/> (default: the home Region).</summary>
    public AmazonDynamoDBClient CreateDynamoDbClient(string? region = null)
        => new(Credentials, Configure(new AmazonDynamoDBConfig(), AwsService.DynamoDb, region));

    /// <summary>A Systems Manager client (AWSSDK.SimpleSystemsManagement) for <paramref name="region"/> (default: the home Region).</summary>
    public AmazonSimpleSystemsManagementClient CreateSsmClient(string? region = null)
        => new(Credentials, Configure(new AmazonSimpleSystemsManagementConfig(), AwsService.Ssm, region));

    /// <summary>Resolves the Region for a call: the one given, else the home Region; throws when there is neither.</summary>
    public string RegionOrHome(string? region)
        => FirstNonEmpty(region, HomeRegion)
            ?? throw new InvalidOperationException("No AWS Region: pass --region or set AWS_REGION (or AWS_DEFAULT_REGION).");

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 64,
    };

    private T Configure<T>(T config, AwsService service, string? region)
        where T : ClientConfig
    {
        var resolvedRegion = RegionOrHome(region);
        var endpoint = Endpoints.Resolve(service, resolvedRegion);
        if (endpoint.IsCustom)
        {
            config.ServiceURL = endpoint.Url.ToString();
            config.AuthenticationRegion = endpoint.SigningRegion;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(resolvedRegion);
        }

        // S3 keeps the SDK's own timeout: a part upload can legitimately take longer than one API call.
        if (service != AwsService.S3)
        {
            config.Timeout = _options.Timeout;
        }

        return config;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(static v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
