namespace SecHubFanout.Core.Orchestration;

/// <summary>Takes (account, Region) results: those the exporters sent over the bus, and those of accounts the launcher could not start.</summary>
public interface IRegionResultHandler
{
    /// <summary>Handles a result that came over the central bus idempotently and says what it did.</summary>
    Task<RegionResultOutcome> HandleAsync(RegionExportEvent result, CancellationToken cancellationToken);

    /// <summary>
    /// Records every Region of an account the launcher could not start (for <paramref name="attempt"/>: 0, or the restart's number)
    /// as failed with <paramref name="reason"/>; says what the last Region's record did.
    /// </summary>
    Task<RegionResultOutcome> HandleLaunchFailureAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, string reason, CancellationToken cancellationToken);

    /// <summary>Fails the pending Regions of a member execution that ended without sending them.</summary>
    Task<RegionResultOutcome> HandleExecutionEndedAsync(ExecutionEnded ended, CancellationToken cancellationToken);

    /// <summary>Completes the export if it is launched and nothing is pending; returns the manifest's location when this call did.</summary>
    Task<string?> TryCompleteAsync(string exportId, CancellationToken cancellationToken);
}

/// <summary>What handling one Region result did.</summary>
/// <param name="Recorded">What the ledger did with it.</param>
/// <param name="CompletedExport">True when this result completed the export (manifest written, email sent).</param>
/// <param name="ManifestLocation">Where the manifest was written, when this result completed the export.</param>
public sealed record RegionResultOutcome(RecordOutcome Recorded, bool CompletedExport = false, string? ManifestLocation = null);
