namespace SecHubFanout.Core.Export;

/// <summary>
/// How many pages of one Region should be in flight: enough to keep the quota busy at the latency seen (rate x latency, plus a
/// margin for jitter and the page being stored), never more than the configured ceiling. It starts at the configured initial value
/// and follows a moving average of the observed round trips; the quota gate, not this number, keeps the rate.
/// </summary>
internal sealed class InFlightTarget
{
    // Weight of the newest round trip in the moving average: a few pages are enough to follow a change.
    private const double Smoothing = 0.2;

    // Round trips are a little longer than their average half the time: 30 % more keeps a request waiting at the gate.
    private const double Margin = 1.3;

    private readonly double _requestsPerSecond;
    private readonly int _initial;
    private readonly int _ceiling;
    private readonly object _lock = new();
    private double _averageSeconds = double.NaN;

    public InFlightTarget(double requestsPerSecond, int initial, int ceiling)
    {
        _requestsPerSecond = requestsPerSecond;
        _ceiling = Math.Max(1, ceiling);
        _initial = Math.Clamp(initial, 1, _ceiling);
    }

    /// <summary>The average round trip so far (NaN before the first).</summary>
    public double AverageSeconds
    {
        get
        {
            lock (_lock)
            {
                return _averageSeconds;
            }
        }
    }

    /// <summary>The pages to keep in flight now.</summary>
    public int Current
    {
        get
        {
            var average = AverageSeconds;
            return double.IsNaN(average) ? _initial : For(_requestsPerSecond, average, _ceiling);
        }
    }

    /// <summary>Records one call's round trip (from sending to the whole answer).</summary>
    public void Observe(TimeSpan roundTrip)
    {
        var seconds = Math.Max(0, roundTrip.TotalSeconds);
        lock (_lock)
        {
            _averageSeconds = double.IsNaN(_averageSeconds) ? seconds : _averageSeconds + (Smoothing * (seconds - _averageSeconds));
        }
    }

    /// <summary>The pages in flight that keep <paramref name="requestsPerSecond"/> busy at <paramref name="roundTripSeconds"/>: one page being
    /// stored or waiting plus rate x latency with the margin, from 1 to <paramref name="ceiling"/>.</summary>
    public static int For(double requestsPerSecond, double roundTripSeconds, int ceiling) =>
        Math.Clamp(1 + (int)Math.Ceiling(requestsPerSecond * roundTripSeconds * Margin), 1, Math.Max(1, ceiling));
}
