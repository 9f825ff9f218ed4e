namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// The export ledger: one item per export and one per expected (export, account, Region). Every change is conditional, so a
/// repeated or out-of-order result changes nothing, final states never go back (except by an explicit restart), and the
/// completion of an export is claimed exactly once.
/// </summary>
public interface ILedger
{
    /// <summary>Writes the export item unless it exists; false when an export with that ID already exists.</summary>
    Task<bool> CreateExportAsync(ExportRecord export, CancellationToken cancellationToken);

    /// <summary>Reads the export item, or null when there is none.</summary>
    Task<ExportRecord?> GetExportAsync(string exportId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the account item and one pending item per Region for <paramref name="attempt"/>. For attempt 0 (the export's first
    /// start) existing items are kept; a restart's attempt (1, 2, ...) resets them to pending for that attempt (the only way a
    /// final state goes back), after which results of earlier attempts are <see cref="RecordOutcome.Superseded"/>.
    /// </summary>
    Task ExpectAccountAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records that the account's member state machine was started (<paramref name="executionArn"/>) or could not be (<paramref name="error"/>).</summary>
    Task RecordLaunchAsync(string exportId, string accountId, string? executionArn, string? error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves the result's (account, Region) from pending to its final state if the result is of the item's attempt; anything else changes nothing.</summary>
    Task<RecordOutcome> RecordRegionResultAsync(RegionExportEvent result, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when the export has no pending (account, Region) left (reads until it finds one).</summary>
    Task<bool> AllRegionsTerminalAsync(string exportId, CancellationToken cancellationToken);

    /// <summary>Marks the export completed; true only for the one caller that made the change.</summary>
    Task<bool> TryClaimCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken);

    /// <summary>Undoes a claim whose manifest or email could not be delivered, so a retried event can complete the export.</summary>
    Task ReleaseCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens the export for the restart numbered <paramref name="attempt"/> (the export's restart count + 1): clears the
    /// completion and records the count; throws <see cref="InvalidOperationException"/> when another restart took that number.
    /// </summary>
    Task ReopenExportAsync(string exportId, int attempt, CancellationToken cancellationToken);

    /// <summary>Reads the export with all its accounts and Regions, or null when there is no such export.</summary>
    Task<ExportSnapshot?> ReadAsync(string exportId, CancellationToken cancellationToken);
}
