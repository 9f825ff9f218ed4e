namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// The export ledger: one item per export, one per account and one per expected (account, Region), spread over the export's
/// shards, plus one counter item per shard. Every change is conditional, so a repeated or out-of-order result changes nothing,
/// final states never go back (except by an explicit restart), and the completion of an export is claimed exactly once.
/// Counters only ever lag the items on the safe side: they are raised before items are expected and after items are finished,
/// so a crash in between leaves an export looking unfinished (the reconciler repairs it), never finished too early.
/// </summary>
public interface ILedger
{
    /// <summary>Writes the export item (and marks it open) unless it exists; false when an export with that ID already exists.</summary>
    Task<bool> CreateExportAsync(ExportRecord export, CancellationToken cancellationToken);

    /// <summary>Reads the export item, or null when there is none.</summary>
    Task<ExportRecord?> GetExportAsync(string exportId, CancellationToken cancellationToken);

    /// <summary>Reads one account's item, or null when the account is not part of the export.</summary>
    Task<AccountRecord?> GetAccountAsync(string exportId, string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Expects an account for the export's first start (attempt 0): counts it and its Regions, then writes the account item and
    /// one pending item per Region. False, changing nothing, when the account is already expected (a continued launch).
    /// </summary>
    Task<bool> ExpectAccountAsync(string exportId, string accountId, IReadOnlyList<string> regions, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Resets an account's Regions to pending for the restart numbered <paramref name="attempt"/> (the only way a final state goes
    /// back), taking their results out of the counters first; results of earlier attempts are then <see cref="RecordOutcome.Superseded"/>.
    /// Returns the account's item as it was before (its execution, to stop).
    /// </summary>
    Task<AccountRecord?> RestartAccountAsync(string exportId, string accountId, int attempt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a restarted account that had only the <see cref="LaunchRegions.All"/> stand-in (its Regions could not be listed before)
    /// its real Regions, pending for <paramref name="attempt"/>, and removes the stand-in.
    /// </summary>
    Task ReplaceAllRegionsAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records that the account's member state machine was started (<paramref name="executionArn"/>) or could not be (<paramref name="error"/>).</summary>
    Task RecordLaunchAsync(string exportId, string accountId, string? executionArn, string? error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks that every target account is expected: from now on the counters alone can show the export finished.</summary>
    Task MarkLaunchedAsync(string exportId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves the result's (account, Region) from pending to its final state if the result is of the item's attempt, then counts it.</summary>
    Task<RecordResult> RecordRegionResultAsync(RegionExportEvent result, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The account's Region items (for an execution that ended without sending them).</summary>
    Task<IReadOnlyList<RegionRecord>> GetAccountRegionsAsync(string exportId, string accountId, CancellationToken cancellationToken);

    /// <summary>The export's counters, summed over its shards (reads one item per shard, however large the export).</summary>
    Task<ExportCounters> GetCountersAsync(ExportRecord export, CancellationToken cancellationToken);

    /// <summary>Marks the export completed; true only for the one caller that made the change (it also leaves the open list).</summary>
    Task<bool> TryClaimCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken);

    /// <summary>Undoes a claim whose manifest or email could not be delivered, so a retried event can complete the export.</summary>
    Task ReleaseCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens the export for the restart numbered <paramref name="attempt"/> (the export's restart count + 1): clears the
    /// completion, records the count and puts the export back on the open list; throws <see cref="InvalidOperationException"/> when
    /// another restart took that number.
    /// </summary>
    Task ReopenExportAsync(string exportId, int attempt, CancellationToken cancellationToken);

    /// <summary>Claims one of the first <paramref name="limit"/> failure emails sent at once; false when they are used up.</summary>
    Task<bool> TryClaimImmediateFailureMailAsync(string exportId, int limit, CancellationToken cancellationToken);

    /// <summary>Claims a failure digest covering failures up to <paramref name="reportedNow"/>, if none was claimed since <paramref name="reportedBefore"/>.</summary>
    Task<bool> TryClaimDigestAsync(string exportId, long reportedBefore, long reportedNow, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>One page of the export's failed (account, Region) pairs, from the failures index (never a scan of the export).</summary>
    Task<FailurePage> ListFailuresAsync(string exportId, string? nextToken, int limit, CancellationToken cancellationToken);

    /// <summary>The IDs of exports not completed yet (a small list kept beside the exports: never a table scan).</summary>
    Task<IReadOnlyList<string>> ListOpenExportsAsync(CancellationToken cancellationToken);

    /// <summary>Every account item of the export, shard by shard, as a stream.</summary>
    IAsyncEnumerable<AccountRecord> ReadAccountsAsync(ExportRecord export, CancellationToken cancellationToken);

    /// <summary>Every Region item of the export, shard by shard (within a shard by account, then Region), as a stream.</summary>
    IAsyncEnumerable<RegionRecord> ReadRegionsAsync(ExportRecord export, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the (account, Region)'s watermark to <paramref name="end"/> (the pinned end of <paramref name="exportId"/>, in which it
    /// completed), never backwards: a repeated or older result changes nothing.
    /// </summary>
    Task AdvanceWatermarkAsync(string accountId, string region, DateTimeOffset end, string exportId, CancellationToken cancellationToken);

    /// <summary>The account's watermarks, one per Region that ever completed in an export that moves them (one query per account).</summary>
    Task<Incremental.Watermarks> GetWatermarksAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Recomputes each shard's counters from its items and writes them where they differ, but only for shards whose counters have not
    /// changed since <paramref name="quietSince"/> (so no result is half-counted while it runs); returns how many shards it repaired.
    /// </summary>
    Task<int> RepairCountersAsync(ExportRecord export, DateTimeOffset quietSince, DateTimeOffset now, CancellationToken cancellationToken);
}
