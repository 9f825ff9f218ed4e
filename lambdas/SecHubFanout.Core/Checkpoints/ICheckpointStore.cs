namespace SecHubFanout.Core.Checkpoints;

/// <summary>
/// Where a host keeps each Region's latest checkpoint durably while the export runs (the exporter Lambda's table in the member
/// account), so that a run that dies without answering can be resumed from what it stored rather than from where it started.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The latest checkpoint saved for this export, account and Region, or null when there is none.</summary>
    Task<ExportCheckpoint?> LoadAsync(string exportId, string accountId, string region, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="checkpoint"/> durably before returning, unless a later revision is already saved.</summary>
    Task SaveAsync(ExportCheckpoint checkpoint, CancellationToken cancellationToken);
}
