namespace SecHubFanout.Core.Quota;

/// <summary>The GetFindings quota of one account and Region, and how the gate backs off when the service throttles anyway.</summary>
public sealed record QuotaOptions
{
    /// <summary>Sustained requests per second. Default 3 (the documented GetFindings rate).</summary>
    public double RequestsPerSecond { get; init; } = 3;

    /// <summary>Requests that may go at once after a quiet spell. Default 6 (the documented GetFindings burst).</summary>
    public int Burst { get; init; } = 6;

    /// <summary>How long the gate adds no tokens after a throttling answer, so that the service's own bucket refills. Default 1 s.</summary>
    public TimeSpan ThrottlePause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (!double.IsFinite(RequestsPerSecond) || RequestsPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestsPerSecond), RequestsPerSecond, "The quota rate must be a positive number of requests per second.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Burst, 1, nameof(Burst));
        ArgumentOutOfRangeException.ThrowIfLessThan(ThrottlePause, TimeSpan.Zero, nameof(ThrottlePause));
    }
}
