using System.Globalization;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Quota;

namespace SecHubFanout.Cli.Exporting;

/// <summary>
/// Where the wall time of a parallel export went, read from the Regions' <see cref="RegionTimings"/>: the host's own start-up (until
/// the engine ran), each stream's start-up (until its first call), the time its quota needed for its calls, the time the quota went
/// unused, the last round trip, and storing the last parts. The slowest stream sets the wall time, so its figures are the ones shown.
/// </summary>
internal sealed record TimeBreakdown(
    QuotaOptions Quota,
    TimeSpan Wall,
    TimeSpan Host,
    string SlowestStream,
    TimeSpan SlowestDuration,
    TimeSpan StartUp,
    TimeSpan Paced,
    long Requests,
    TimeSpan Unused,
    TimeSpan LastRoundTrip,
    TimeSpan AfterLastAnswer,
    TimeSpan MedianStartUp,
    TimeSpan MaxStartUp)
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>The breakdown of <paramref name="accounts"/>' runs in <paramref name="wall"/>; null when no Region sent a call.</summary>
    public static TimeBreakdown? From(TimeSpan wall, IReadOnlyCollection<AccountResult> accounts, QuotaOptions quota)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(quota);
        var streams = accounts
            .SelectMany(a => a.Regions.Where(r => r.Timings?.FirstRequest is not null).Select(r => (Label: $"{a.AccountId}/{r.Region}", Result: r, Timings: r.Timings!)))
            .ToList();
        if (streams.Count == 0)
        {
            return null;
        }

        var slowest = streams.MaxBy(s => s.Result.Duration);
        var t = slowest.Timings;
        var startUps = streams.Select(s => s.Timings.FirstRequest!.Value).Order().ToList();
        var lastAnswer = t.LastAnswer ?? t.FirstRequest!.Value;
        var host = wall - accounts.Max(a => a.Duration);
        return new TimeBreakdown(
            quota,
            wall,
            host > TimeSpan.Zero ? host : TimeSpan.Zero,
            slowest.Label,
            slowest.Result.Duration,
            t.FirstRequest!.Value,
            t.Paced(quota),
            t.Requests,
            t.Unused(quota),
            Min(t.AverageRoundTrip, lastAnswer - t.FirstRequest!.Value),
            Max(slowest.Result.Duration - lastAnswer, TimeSpan.Zero),
            startUps[startUps.Count / 2],
            startUps[^1]);
    }

    /// <summary>The breakdown as indented lines, for a summary.</summary>
    public IReadOnlyList<string> Lines(string indent) =>
        [
            string.Create(s_inv, $"{indent}where the time went: wall {Wall.TotalSeconds:F1} s = host start-up {Host.TotalSeconds:F2} s + the slowest stream ({SlowestStream}) {SlowestDuration.TotalSeconds:F1} s:"),
            string.Create(s_inv, $"{indent}  start-up before its first call {StartUp.TotalSeconds:F2} s (all streams: median {MedianStartUp.TotalSeconds:F2} s, at most {MaxStartUp.TotalSeconds:F2} s)"),
            string.Create(s_inv, $"{indent}  its {Requests:N0} calls at the quota {Paced.TotalSeconds:F1} s ({Quota.RequestsPerSecond:0.##}/s after a burst of {Quota.Burst})"),
            string.Create(s_inv, $"{indent}  quota unused {Unused.TotalSeconds:F2} s (windows waiting on their own pages, throttle pauses, retries)"),
            string.Create(s_inv, $"{indent}  last round trip {LastRoundTrip.TotalSeconds:F2} s, storing the last parts {AfterLastAnswer.TotalSeconds:F2} s"),
        ];

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
