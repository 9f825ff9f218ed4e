namespace SecHubFanout.Core.Resilience;

/// <summary>How retries back off on throttling and transient faults.</summary>
public sealed record RetryOptions
{
    /// <summary>Attempts after the first one. Default 8.</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>Base delay of the exponential backoff (full jitter). Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound on one delay. Default 20 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
}
