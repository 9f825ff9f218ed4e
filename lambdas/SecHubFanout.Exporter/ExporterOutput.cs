using System.Text.Json;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter;

/// <summary>One invocation's answer: the Region is done when <see cref="Checkpoint"/> is absent; otherwise invoke again with it.</summary>
/// <param name="Status"><c>in-progress</c> (with a checkpoint), or a terminal <c>complete</c>, <c>not-enabled</c>, <c>failed</c>.</param>
/// <param name="Checkpoint">The checkpoint to send back in the next invocation; null when the Region is done.</param>
/// <param name="Counts">The Region's counts so far, across invocations.</param>
/// <param name="Error">Why the Region failed or is not enabled.</param>
/// <param name="FailureKind">For a failed Region, the kind of failure (one of <see cref="FailureKinds"/>' values); null otherwise.</param>
/// <param name="HandOver">
/// True when the Region is unfinished and its execution is old enough that it should continue in a new execution from
/// <paramref name="Checkpoint"/> (the execution's time limit is near); absent (null) otherwise, never written as false.
/// </param>
/// <param name="Api">On a final answer of a GetFindingsV2 export, <c>v2</c>: it rides into the Region result so the coordinator registers the partition in the OCSF table; null for v1.</param>
public sealed record ExporterOutput(string Status, JsonElement? Checkpoint, ExporterCounts Counts, string? Error = null, string? FailureKind = null, bool? HandOver = null, string? Api = null)
{
    /// <summary>The status of an invocation that stopped at its time budget.</summary>
    public const string InProgress = "in-progress";

    /// <summary>True when the Region needs no further invocation.</summary>
    public bool IsDone => Checkpoint is null;

    /// <summary>The Region result event the member state machine builds from a final answer (its ids and attempt merged with the status, error and counts).</summary>
    public RegionExportEvent ToEvent(string exportId, string accountId, string region, int attempt)
    {
        if (!IsDone)
        {
            throw new InvalidOperationException($"Region {region} is still {Status}: only a final answer becomes a Region result.");
        }

        return new RegionExportEvent(
            exportId,
            accountId,
            region,
            Status,
            Counts.Findings,
            Counts.Pages,
            Counts.Parts,
            Counts.Bytes,
            Counts.Throttles,
            Counts.Retries,
            Counts.DurationMs,
            Error,
            attempt,
            FailureKind,
            Api);
    }
}

/// <summary>A Region's counts across its invocations (the state machine lifts them into the Region result event).</summary>
/// <param name="Findings">Findings stored.</param>
/// <param name="Pages">GetFindings pages whose findings are stored.</param>
/// <param name="Parts">Part objects stored.</param>
/// <param name="Bytes">Bytes stored.</param>
/// <param name="Throttles">Throttled GetFindings calls.</param>
/// <param name="Retries">Retried GetFindings calls.</param>
/// <param name="DurationMs">Time spent exporting, in milliseconds.</param>
public sealed record ExporterCounts(long Findings = 0, long Pages = 0, long Parts = 0, long Bytes = 0, long Throttles = 0, long Retries = 0, long DurationMs = 0);
