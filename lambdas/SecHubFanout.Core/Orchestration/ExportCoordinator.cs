using System.Text.Json;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// Takes Region results: records each in the ledger idempotently, registers a complete Region's partition, and when no
/// (account, Region) is pending claims the completion exactly once, writes the manifest and mails the summary. A failed Region
/// that crossed the central bus is mailed by the bus's failure rule (which also works when this code does not), so this mails
/// at once only failures that never crossed the bus: accounts the launcher could not start. Each failure: one email.
/// </summary>
public sealed class ExportCoordinator : IRegionResultHandler
{
    private static readonly JsonSerializerOptions ManifestJson = new(OrchestrationJsonContext.Default.Options) { WriteIndented = true };

    private readonly ILedger _ledger;
    private readonly INotifier _notifier;
    private readonly IManifestStore _manifests;
    private readonly IPartitionRegistrar _partitions;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;

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

    /// <summary>Handles one Region result from the bus (its failure is mailed by the bus rule, not here); throws <see cref="ArgumentException"/> for a malformed one.</summary>
    public async Task<RegionResultOutcome> HandleAsync(RegionExportEvent result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = result.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("malformed Region result: " + string.Join("; ", problems), nameof(result));
        }

        var recorded = await _ledger.RecordRegionResultAsync(result, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (recorded is RecordOutcome.NotExpected or RecordOutcome.Superseded)
        {
            return new RegionResultOutcome(recorded);
        }

        // Only the result that moved the Region: a late "complete" for a Region already failed must not publish its partial data.
        if (recorded == RecordOutcome.Applied && result.Status == RegionExportStatus.Complete)
        {
            var export = await _ledger.GetExportAsync(result.ExportId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"export {result.ExportId} has Region items but no export item in the ledger");
            await _partitions.RegisterAsync(result.ExportId, result.AccountId, result.Region, export.Until, cancellationToken).ConfigureAwait(false);
        }

        // Checked for repeats too: a redelivery after a crash between recording and completing must still complete the export.
        var manifest = await TryCompleteAsync(result.ExportId, cancellationToken).ConfigureAwait(false);
        return new RegionResultOutcome(recorded, manifest is not null, manifest);
    }

    /// <summary>
    /// Records every Region of an account that could not be started as failed, mails that once (nothing crossed the bus, so no rule
    /// mails it), then completes the export if this was the last pending work.
    /// </summary>
    public async Task<RegionResultOutcome> HandleLaunchFailureAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exportId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = _time.GetUtcNow();
        var applied = false;
        var recorded = RecordOutcome.NotExpected;
        foreach (var region in regions)
        {
            recorded = await _ledger.RecordRegionResultAsync(new RegionExportEvent(exportId, accountId, region, RegionExportStatus.Failed, Error: reason, Attempt: attempt), now, cancellationToken).ConfigureAwait(false);
            applied |= recorded == RecordOutcome.Applied;
        }

        // Only when this call failed a Region: a repeated launch failure of Regions already terminal was mailed before.
        if (applied)
        {
            var (subject, body) = ExportMessages.LaunchFailure(exportId, accountId, regions, reason);
            await _notifier.PublishAsync(subject, body, cancellationToken).ConfigureAwait(false);
        }

        var manifest = await TryCompleteAsync(exportId, cancellationToken).ConfigureAwait(false);
        return new RegionResultOutcome(applied ? RecordOutcome.Applied : recorded, manifest is not null, manifest);
    }

    /// <summary>Completes the export when nothing is pending and nobody completed it yet; returns the manifest's location when this call did.</summary>
    public async Task<string?> TryCompleteAsync(string exportId, CancellationToken cancellationToken)
    {
        if (!await _ledger.AllRegionsTerminalAsync(exportId, cancellationToken).ConfigureAwait(false))
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
            var snapshot = await _ledger.ReadAsync(exportId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"export {exportId} vanished from the ledger while completing");
            var progress = ExportProgress.From(snapshot, completedAt);
            var json = JsonSerializer.SerializeToUtf8Bytes(progress, ManifestJson.GetTypeInfo(typeof(ExportProgress)));
            var location = await _manifests.WriteAsync(exportId, json, cancellationToken).ConfigureAwait(false);
            var (subject, body) = ExportMessages.Completion(progress, _options, location);
            await _notifier.PublishAsync(subject, body, cancellationToken).ConfigureAwait(false);
            return location;
        }
        catch
        {
            // Give the claim back so the redelivered event (EventBridge and Lambda retry) can finish the job.
            await _ledger.ReleaseCompletionAsync(exportId, completedAt, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
