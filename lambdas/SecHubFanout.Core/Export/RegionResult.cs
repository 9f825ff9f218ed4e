using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Core.Export;

/// <summary>The outcome of one run of one Region's export.</summary>
/// <param name="Region">The Region.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Reason">Why it failed (null unless <see cref="RegionStatus.Failed"/> or <see cref="RegionStatus.NotEnabled"/>).</param>
/// <param name="Findings">Findings in stored parts, including earlier runs resumed from.</param>
/// <param name="Pages">Pages whose findings are stored, including earlier runs.</param>
/// <param name="Parts">Parts stored, including earlier runs.</param>
/// <param name="Bytes">Bytes stored, including earlier runs.</param>
/// <param name="Throttles">Throttling answers in this run.</param>
/// <param name="Retries">Retried calls in this run.</param>
/// <param name="WindowRestarts">Windows restarted from their first page (invalid or expired token) in this run.</param>
/// <param name="Duration">How long this run took.</param>
/// <param name="KeyPrefix">The partition prefix the parts were stored under.</param>
/// <param name="Checkpoint">The latest checkpoint (resume an in-progress or failed Region from it); null when the Region is not enabled.</param>
public sealed record RegionResult(
    string Region,
    RegionStatus Status,
    string? Reason,
    long Findings,
    long Pages,
    int Parts,
    long Bytes,
    long Throttles,
    long Retries,
    int WindowRestarts,
    TimeSpan Duration,
    string KeyPrefix,
    ExportCheckpoint? Checkpoint)
{
    /// <summary>The kind of service error that failed the Region (for example access denied), when a service call failed it; else null.</summary>
    public ServiceErrorKind? FailureKind { get; init; }

    /// <summary>Where this run's time went (start-up, calls, last answer); null for a run that had nothing left to do.</summary>
    public RegionTimings? Timings { get; init; }
}
