namespace SecHubFanout.Core.Orchestration;

/// <summary>Takes one (account, Region) result: the coordinator, or just the ledger where no emails are wanted.</summary>
public interface IRegionResultHandler
{
    /// <summary>Handles the result idempotently and says what it did.</summary>
    Task<RegionResultOutcome> HandleAsync(RegionExportEvent result, CancellationToken cancellationToken);
}

/// <summary>What handling one Region result did.</summary>
/// <param name="Recorded">What the ledger did with it.</param>
/// <param name="CompletedExport">True when this result completed the export (manifest written, email sent).</param>
/// <param name="ManifestLocation">Where the manifest was written, when this result completed the export.</param>
public sealed record RegionResultOutcome(RecordOutcome Recorded, bool CompletedExport = false, string? ManifestLocation = null);
