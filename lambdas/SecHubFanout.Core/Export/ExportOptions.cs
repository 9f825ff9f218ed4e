using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Resilience;

namespace SecHubFanout.Core.Export;

/// <summary>How the engine splits, paces and packages an export; the defaults suit the documented GetFindings quota.</summary>
public sealed record ExportOptions
{
    /// <summary>The span before the export's end that is split into finer windows. Default 90 days (Security Hub's retention).</summary>
    public TimeSpan RecentSpan { get; init; } = TimeSpan.FromDays(90);

    /// <summary>How many windows the recent span is planned as. Default 5: with the old window, six chains, enough to keep the quota
    /// busy up to about 1.5 s round trips; a window that turns out large splits while it runs (<see cref="SplitAfterPages"/>), so
    /// fewer planned windows cost fewer partial last pages (measured in bench/README.md: 58 -> 48 requests for 4,500 findings).</summary>
    public int RecentWindows { get; init; } = 5;

    /// <summary>Each recent window is this many times longer than the next newer one (recent findings are denser). Default 1.5.</summary>
    public double WindowGrowth { get; init; } = 1.5;

    /// <summary>
    /// A window splits every this many pages of its NextToken chain while its findings so far say at least as many pages remain:
    /// it ends halfway between the newest finding read and its end, and the rest becomes a new window that can run at the same
    /// time. Decided from the findings alone, so reruns split alike. Relies on the service returning a window in the <c>UpdatedAt</c>
    /// order the query asks for. Default 25; 0 never splits.
    /// </summary>
    public int SplitAfterPages { get; init; } = 25;

    /// <summary>
    /// Also split by timing: when the Region runs fewer chains than the pages in flight its latency asks for and no window is
    /// waiting, the running chain that would finish last (its estimated pages left x the round trip)
    /// splits at its next page, if finishing it alone would take longer than the quota needs for everything left. This keeps the quota
    /// busy at the end of a Region and at high latency, where the rule of <see cref="SplitAfterPages"/> splits too late.
    /// A rerun splits elsewhere, so turn it on only where a rerun never starts from a checkpoint older than what was stored: the host
    /// saves every checkpoint durably in <see cref="ExportCallbacks.CheckpointSaved"/> before the export goes on (the engine records a
    /// part's key there before it stores the part, so a rerun can blank what it does not write again), or never resumes. A host that
    /// keeps checkpoints only between runs (a crashed run's retry starts from the checkpoint it was given) must leave it off: its retry
    /// could split a chain below findings the lost run already stored, and store them twice. The exporter Lambda turns it on only with
    /// its checkpoint table, where every advance is saved and a retry resumes from.
    /// Default false.
    /// </summary>
    public bool SplitWhenIdle { get; init; }

    /// <summary>Pages of one Region in flight at the start, before any round trip is measured. Default 4 (saturates 3 req/s up to
    /// ~1.3 s latency). From then on the number follows the observed latency (rate x latency plus a margin), up to
    /// <see cref="MaxWindowConcurrency"/>.</summary>
    public int WindowConcurrency { get; init; } = 4;

    /// <summary>The most pages of one Region in flight, whatever the latency (never fewer than <see cref="WindowConcurrency"/>). Default 12
    /// (3 req/s at up to ~2.5 s round trips).</summary>
    public int MaxWindowConcurrency { get; init; } = 12;

    /// <summary>Regions exported at the same time by <see cref="AccountExporter"/>. Default 8.</summary>
    public int RegionConcurrency { get; init; } = 8;

    /// <summary>Findings asked for per page (GetFindings MaxResults, 1 to 100). Default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The most findings in one part; a part closes at the page boundary where another full page would not fit. Default 10,000.</summary>
    public int PartSize { get; init; } = 10_000;

    /// <summary>How often one window may restart from its first page after an invalid or expired token, per run. Default 3.</summary>
    public int MaxWindowRestarts { get; init; } = 3;

    /// <summary>
    /// The pace kept per account and Region. Default 3 req/s (the GetFindings quota) with a burst of 4, two below the service's 6: the
    /// service's bucket starts filling when the first call arrives, after this gate's, and early arrivals (clock offset, network
    /// jitter) would otherwise find it empty; each throttle costs a pause (measured in bench/README.md: one per Region at the start).
    /// </summary>
    public QuotaOptions Quota { get; init; } = new() { Burst = 4 };

    /// <summary>Backoff for throttled and transient failures. Default 8 retries, full jitter from 200 ms up to 20 s.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RecentSpan, TimeSpan.FromMilliseconds(1), nameof(RecentSpan));
        ArgumentOutOfRangeException.ThrowIfLessThan(RecentWindows, 1, nameof(RecentWindows));
        if (!double.IsFinite(WindowGrowth) || WindowGrowth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowGrowth), WindowGrowth, "The window growth factor must be a finite number of at least 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(WindowConcurrency, 1, nameof(WindowConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWindowConcurrency, 1, nameof(MaxWindowConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(RegionConcurrency, 1, nameof(RegionConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, Queries.FindingsQuery.MaxPageSize, nameof(PageSize));
        if (PartSize < PageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(PartSize), PartSize, $"A part must hold at least one page ({PageSize} findings).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxWindowRestarts, nameof(MaxWindowRestarts));
        ArgumentOutOfRangeException.ThrowIfNegative(SplitAfterPages, nameof(SplitAfterPages));
        ArgumentNullException.ThrowIfNull(Quota, nameof(Quota));
        ArgumentNullException.ThrowIfNull(Retry, nameof(Retry));
        Quota.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(Retry.MaxRetries, "Retry.MaxRetries");
    }
}
