using System.Collections.Concurrent;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// Takes Region results: records each in the ledger idempotently, registers a complete Region's partition, mails the first few
/// failures of an export at once, and when the counters show nothing pending claims the completion exactly once, streams the
/// manifest and mails the summary. Member executions that ended without sending results, and accounts the launcher could not
/// start, arrive here too, as failures of their pending Regions.
/// </summary>
public sealed class ExportCoordinator : IRegionResultHandler
{
    private const int ListedFailures = 20;

    private readonly ILedger _ledger;
    private readonly INotifier _notifier;
    private readonly IManifestStore _manifests;
    private readonly IPartitionRegistrar _partitions;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;

    // The fixed end of each export's range, for partition registration: it never changes, so one read per export and container.
    private readonly ConcurrentDictionary<string, ExportRecord> _exports = new(StringComparer.Ordinal);

    /// <summary>Creates a coordinator over its ports.</summary>
    public ExportCoordinator(ILedger ledger, INotifier notifier, IManifestStore manifests, IPartitionRegistrar partitions, CoordinatorOptions options, TimeProvider time)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _manifests = manifests ?? throw new ArgumentNullException(nameof(manifests));
        _partitions = partitions ?? throw new ArgumentNullException(nameof(partitions));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Handles one Region result from the bus; throws <see cref="ArgumentException"/> for a malformed one.</summary>
    public async Task<RegionResultOutcome> HandleAsync(RegionExportEvent result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = result.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("malformed Region result: " + string.Join("; ", problems), nameof(result));
        }

        var recorded = await _ledger.RecordRegionResultAsync(result, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (recorded.Outcome != RecordOutcome.Applied)
        {
            return new RegionResultOutcome(recorded.Outcome);
        }

        // Only the result that moved the Region: a late "complete" for a Region already failed must not publish its partial data.
        if (result.Status == RegionExportStatus.Complete)
        {
            var export = await ExportOfAsync(result.ExportId, cancellationToken).ConfigureAwait(false);
            await _partitions.RegisterAsync(result.ExportId, result.AccountId, result.Region, export.Until, result.FindingsApi, cancellationToken).ConfigureAwait(false);

            // Only a Region that completed moves its watermark: a failed one keeps it, so the next incremental export covers the gap.
            if (export.MovesWatermarks)
            {
                await _ledger.AdvanceWatermarkAsync(result.AccountId, result.Region, export.Until, result.ExportId, cancellationToken).ConfigureAwait(false);
            }
        }

        return await AfterAppliedAsync(result.ExportId, result.AccountId, result.Region, result.Status, result.FailureKind, result.Error, recorded.Shard, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records every Region of an account the launcher could not start (or whose Regions it could not list: <see cref="LaunchRegions.All"/>)
    /// as failed, then completes the export if this was the last pending work.
    /// </summary>
    public async Task<RegionResultOutcome> HandleLaunchFailureAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exportId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return await FailRegionsAsync(exportId, accountId, regions, attempt, FailureKinds.LaunchFailed, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A member execution ended (failed, timed out, aborted) and may not have sent every Region's result: its Regions still pending
    /// for that attempt are failed now. A result that was only late still counts when it arrives (the ledger lets a real result
    /// replace this provisional failure).
    /// </summary>
    public async Task<RegionResultOutcome> HandleExecutionEndedAsync(ExecutionEnded ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        var regions = ended.Regions;
        if (regions.Count == 0)
        {
            var items = await _ledger.GetAccountRegionsAsync(ended.ExportId, ended.AccountId, cancellationToken).ConfigureAwait(false);
            if (items.Count == 0)
            {
                return new RegionResultOutcome(RecordOutcome.NotExpected);
            }

            regions = items.Where(r => r.Attempt == ended.Attempt && !r.IsTerminal).Select(r => r.Region).ToList();
            if (regions.Count == 0)
            {
                return new RegionResultOutcome(RecordOutcome.AlreadyTerminal);
            }
        }

        var reason = $"the member execution {ended.ExecutionArn} ended {ended.Status} before sending this Region's result" + (ended.Cause is { Length: > 0 } c ? $": {c}" : string.Empty);
        return await FailRegionsAsync(ended.ExportId, ended.AccountId, regions, ended.Attempt, FailureKinds.ExecutionEnded, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails the given Regions of one account attempt (those still pending) with one kind and reason.</summary>
    public async Task<RegionResultOutcome> FailRegionsAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, string kind, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var applied = false;
        var completed = false;
        string? manifest = null;
        var last = RecordOutcome.NotExpected;
        foreach (var region in regions)
        {
            var result = new RegionExportEvent(exportId, accountId, region, RegionExportStatus.Failed, Error: reason, Attempt: attempt, FailureKind: kind);
            var recorded = await _ledger.RecordRegionResultAsync(result, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (recorded.Outcome != RecordOutcome.Applied)
            {
                last = recorded.Outcome;
                continue;
            }

            applied = true;
            var step = await AfterAppliedAsync(exportId, accountId, region, RegionExportStatus.Failed, kind, reason, recorded.Shard, cancellationToken).ConfigureAwait(false);
            completed |= step.CompletedExport;
            manifest ??= step.ManifestLocation;
        }

        // Applied when any Region moved; else what the ledger said of the last one.
        return applied ? new RegionResultOutcome(RecordOutcome.Applied, completed, manifest) : new RegionResultOutcome(last);
    }

    /// <summary>Completes the export when every account is launched, nothing is pending and nobody completed it yet; returns the manifest's location when this call did.</summary>
    public async Task<string?> TryCompleteAsync(string exportId, CancellationToken cancellationToken)
    {
        var export = await _ledger.GetExportAsync(exportId, cancellationToken).ConfigureAwait(false);
        if (export is null || export.IsCompleted || export.LaunchedAt is null)
        {
            return null;
        }

        var counters = await _ledger.GetCountersAsync(export, cancellationToken).ConfigureAwait(false);
        if (counters.Pending > 0)
        {
            return null;
        }

        var completedAt = _time.GetUtcNow();
        if (!await _ledger.TryClaimCompletionAsync(exportId, completedAt, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var summary = ExportSummary.From(export, counters, completedAt);
            var (location, tally) = await WriteManifestAsync(export, summary, cancellationToken).ConfigureAwait(false);
            var failures = summary.Totals.RegionsFailed > 0
                ? (await _ledger.ListFailuresAsync(exportId, null, ListedFailures, cancellationToken).ConfigureAwait(false)).Failures
                : [];
            var (subject, body) = ExportMessages.Completion(summary, tally, failures, _options, location);
            await _notifier.PublishAsync(subject, body, cancellationToken).ConfigureAwait(false);
            return location;
        }
        catch
        {
            // Give the claim back so the reconciler's next pass can finish the job (a repeated result finds its Region terminal and stops early).
            await _ledger.ReleaseCompletionAsync(exportId, completedAt, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Mails a digest of the export's failures not mailed yet; true when this call sent it.</summary>
    public async Task<bool> TryMailDigestAsync(ExportRecord export, ExportCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(counters);
        var unreported = counters.Failed - export.FailuresMailed;
        if (unreported <= 0 || !await _ledger.TryClaimDigestAsync(export.ExportId, export.FailuresMailed, counters.Failed, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var failures = await _ledger.ListFailuresAsync(export.ExportId, null, ListedFailures, cancellationToken).ConfigureAwait(false);
        var (subject, body) = ExportMessages.Digest(ExportSummary.From(export, counters), unreported, failures.Failures);
        await _notifier.PublishAsync(subject, body, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Mails that a launch was closed before it reached every account (the reconciler found it stalled).</summary>
    public async Task MailLaunchClosedAsync(ExportRecord export, TimeSpan after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var counters = await _ledger.GetCountersAsync(export, cancellationToken).ConfigureAwait(false);
        var (subject, body) = ExportMessages.LaunchClosed(export.ExportId, counters.Accounts, after);
        await _notifier.PublishAsync(subject, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RegionResultOutcome> AfterAppliedAsync(string exportId, string accountId, string region, string status, string? kind, string? error, ExportCounters? shard, CancellationToken cancellationToken)
    {
        // Only the first failures of each shard even ask for one of the export's few immediate emails; the rest wait for a digest.
        if (status == RegionExportStatus.Failed && (shard is null || shard.Failed <= ExportMessages.ImmediateFailureMails)
            && await _ledger.TryClaimImmediateFailureMailAsync(exportId, ExportMessages.ImmediateFailureMails, cancellationToken).ConfigureAwait(false))
        {
            var (subject, body) = ExportMessages.Failure(exportId, accountId, region, FailureKinds.Classify(kind, error), error);
            await _notifier.PublishAsync(subject, body, cancellationToken).ConfigureAwait(false);
        }

        // The shard that just finished is the only one whose last result can finish the export: only then are the other shards read.
        if (shard is not null && shard.Pending > 0)
        {
            return new RegionResultOutcome(RecordOutcome.Applied);
        }

        var manifest = await TryCompleteAsync(exportId, cancellationToken).ConfigureAwait(false);
        return new RegionResultOutcome(RecordOutcome.Applied, manifest is not null, manifest);
    }

    // What a Region result needs of its export (Until, and whether it moves watermarks) never changes: read once per container.
    private async Task<ExportRecord> ExportOfAsync(string exportId, CancellationToken cancellationToken)
    {
        if (_exports.TryGetValue(exportId, out var export))
        {
            return export;
        }

        export = await _ledger.GetExportAsync(exportId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"export {exportId} has Region items but no export item in the ledger");
        return _exports[exportId] = export;
    }

    private async Task<(string Location, AccountTally Tally)> WriteManifestAsync(ExportRecord export, ExportSummary summary, CancellationToken cancellationToken)
    {
        // Spooled to a temporary file, not memory: an export of 10,000 accounts x 17 Regions makes a manifest of tens of MB.
        var path = Path.Combine(Path.GetTempPath(), $"manifest-{export.ExportId}-{Guid.NewGuid():N}.json");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var tally = await ExportManifestWriter.WriteAsync(file, summary, _ledger.ReadAccountsAsync(export, cancellationToken), _ledger.ReadRegionsAsync(export, cancellationToken), cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        var location = await _manifests.WriteAsync(export.ExportId, file, cancellationToken).ConfigureAwait(false);
        return (location, tally);
    }
}
