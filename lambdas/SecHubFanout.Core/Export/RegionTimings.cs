using SecHubFanout.Core.Quota;

namespace SecHubFanout.Core.Export;

/// <summary>
/// Where one Region run's time went, from the run's start: until the first GetFindings call was sent (start-up), until the last
/// page was answered, and the calls in between. With the quota this splits the run into start-up, the time the quota needs for
/// the calls, the time the quota went unused (windows waiting on their chains, throttle pauses), the last round trip, and storing
/// the last parts.
/// </summary>
/// <param name="FirstRequest">From the run's start to the first call sent; null when no call was sent.</param>
/// <param name="LastAnswer">From the run's start to the last call answered; null when none was answered.</param>
/// <param name="Requests">Calls sent in this run, retries included.</param>
/// <param name="AverageRoundTrip">The moving average of the round trips the run saw (zero when none).</param>
public sealed record RegionTimings(TimeSpan? FirstRequest, TimeSpan? LastAnswer, long Requests, TimeSpan AverageRoundTrip)
{
    /// <summary>The shortest time the quota allows for <see cref="Requests"/> calls: those after the burst at the sustained rate.</summary>
    public TimeSpan Paced(QuotaOptions quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return TimeSpan.FromSeconds(Math.Max(0, Requests - quota.Burst) / quota.RequestsPerSecond);
    }

    /// <summary>
    /// Time between the first call and the last answer that the quota did not need: windows waiting on their own chains, throttle
    /// pauses, retries. Zero when the run kept the quota busy (what is left is the last round trip, counted apart).
    /// </summary>
    public TimeSpan Unused(QuotaOptions quota)
    {
        if (FirstRequest is not { } first || LastAnswer is not { } last)
        {
            return TimeSpan.Zero;
        }

        var unused = last - first - Paced(quota) - AverageRoundTrip;
        return unused > TimeSpan.Zero ? unused : TimeSpan.Zero;
    }
}
