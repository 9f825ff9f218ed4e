using Amazon.Runtime;

namespace SecHubFanout.Aws;

/// <summary>How to reach AWS: credentials, Region, endpoint override, timeout and clock; the CLI builds it from <c>--profile</c>, <c>--region</c> and <c>--endpoint-url</c>.</summary>
public sealed record AwsClientOptions
{
    /// <summary>Credentials to use as they are (for example assumed-role credentials); when null, <see cref="Profile"/> or the SDK default chain is used.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>The named profile to read credentials from (<c>--profile</c>); null uses the SDK default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>The home Region for Region-less calls (STS, S3 bucket, ledger); null falls back to <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>.</summary>
    public string? Region { get; init; }

    /// <summary>One endpoint for every service (<c>--endpoint-url</c>), which wins over the <c>AWS_ENDPOINT_URL*</c> variables; null by default.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>How long one HTTP attempt may take before it counts as a transient failure. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock used for signing. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The account whose credentials are used, when known; only improves error messages. Default null.</summary>
    public string? AccountId { get; init; }

    /// <summary>Reads environment variables (a seam for tests). Default <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
