namespace SecHubFanout.Core.Orchestration;

/// <summary>How the reconciler decides that something is stuck.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>
    /// How long after its account was started a Region may stay pending before it is failed as silent: longer than a member execution
    /// may run (24 hours), so only a result that was lost is presumed. Default 25 hours.
    /// </summary>
    public TimeSpan SilentAfter { get; init; } = TimeSpan.FromHours(25);

    /// <summary>
    /// The shortest time between two failure digests of an export; it doubles after each digest (5, 10, 20, 40, then 80 minutes), so
    /// an export that keeps failing for a day sends about twenty, not hundreds. Default 5 minutes.
    /// </summary>
    public TimeSpan DigestEvery { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The time a digest waits after <paramref name="digestsSent"/> earlier ones.</summary>
    public TimeSpan DigestWait(int digestsSent) => DigestEvery * (1 << Math.Clamp(digestsSent - 1, 0, 4));

    /// <summary>Counters unchanged this long are recounted from the items if the export looks stuck (a result lost between its two writes). Default 15 minutes.</summary>
    public TimeSpan QuietBeforeRepair { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A launch still unfinished this long after the export started is taken as dead: the export goes on with the accounts it expected. Default 2 hours.</summary>
    public TimeSpan LaunchStalledAfter { get; init; } = TimeSpan.FromHours(2);
}

/// <summary>What one reconciler pass did.</summary>
/// <param name="OpenExports">Exports that were open.</param>
/// <param name="Completed">Exports this pass completed.</param>
/// <param name="RegionsSilenced">(account, Region) pairs failed as silent.</param>
/// <param name="ShardsRepaired">Counter shards recounted.</param>
/// <param name="Digests">Failure digests mailed.</param>
/// <param name="LaunchesClosed">Launches taken as dead.</param>
public sealed record ReconcileReport(int OpenExports, int Completed, int RegionsSilenced, int ShardsRepaired, int Digests, int LaunchesClosed);

/// <summary>
/// The scheduled safety net under the event-driven coordinator: for every open export it completes what is finished but was not
/// completed (a lost or failed completion), fails Regions silent past the deadline, repairs counters a crash left behind, closes dead
/// launches and mails failure digests. Reads the open list and each open export's counters; reads items only for a stuck export.
/// </summary>
public sealed class ExportReconciler
{
    private readonly ILedger _ledger;
    private readonly ExportCoordinator _coordinator;
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a reconciler over the ledger and the coordinator that completes and mails.</summary>
    public ExportReconciler(ILedger ledger, ExportCoordinator coordinator, ReconcilerOptions options, TimeProvider time)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _coordinator = coordinator ?? throw new ArgumentNullException(nameof(coordinator));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Runs one pass over every open export.</summary>
    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        var open = await _ledger.ListOpenExportsAsync(cancellationToken).ConfigureAwait(false);
        int completed = 0, silenced = 0, repaired = 0, digests = 0, closed = 0;
        foreach (var exportId in open)
        {
            var export = await _ledger.GetExportAsync(exportId, cancellationToken).ConfigureAwait(false);
            if (export is null || export.IsCompleted)
            {
                continue;
            }

            var now = _time.GetUtcNow();
            if (export.LaunchedAt is null)
            {
                if (now - export.StartedAt < _options.LaunchStalledAfter)
                {
                    continue;
                }

                await _ledger.MarkLaunchedAsync(exportId, now, cancellationToken).ConfigureAwait(false);
                closed++;
                export = export with { LaunchedAt = now };
                await _coordinator.MailLaunchClosedAsync(export, _options.LaunchStalledAfter, cancellationToken).ConfigureAwait(false);
            }

            var counters = await _ledger.GetCountersAsync(export, cancellationToken).ConfigureAwait(false);
            if (counters.Pending > 0 && now - export.LaunchedAt.Value >= _options.SilentAfter)
            {
                var (count, completedBySilence) = await FailSilentRegionsAsync(export, now, cancellationToken).ConfigureAwait(false);
                silenced += count;
                if (completedBySilence)
                {
                    completed++;
                    continue;
                }

                if (count > 0)
                {
                    counters = await _ledger.GetCountersAsync(export, cancellationToken).ConfigureAwait(false);
                }
            }

            // Still pending with nothing happening: perhaps a result was recorded but never counted (a crash between the two writes).
            // Counters no result ever changed (a launch that died between counting an account and writing its items) are as quiet as
            // the launch is old.
            var changed = counters.ChangedAt ?? export.LaunchedAt.Value;
            if (counters.Pending > 0 && now - changed >= _options.QuietBeforeRepair)
            {
                repaired += await _ledger.RepairCountersAsync(export, now - _options.QuietBeforeRepair, now, cancellationToken).ConfigureAwait(false);
            }

            if (await _coordinator.TryCompleteAsync(exportId, cancellationToken).ConfigureAwait(false) is not null)
            {
                completed++;
                continue;
            }

            var latest = await _ledger.GetExportAsync(exportId, cancellationToken).ConfigureAwait(false) ?? export;
            if (latest.IsCompleted)
            {
                // Completed meanwhile (by a result): its completion email has every failure; a "still running" digest would be wrong.
                continue;
            }

            counters = await _ledger.GetCountersAsync(latest, cancellationToken).ConfigureAwait(false);
            if (latest.LastDigestAt is { } last && now - last < _options.DigestWait(latest.Digests))
            {
                continue;
            }

            if (await _coordinator.TryMailDigestAsync(latest, counters, cancellationToken).ConfigureAwait(false))
            {
                digests++;
            }
        }

        return new ReconcileReport(open.Count, completed, silenced, repaired, digests, closed);
    }

    private async Task<(int Silenced, bool Completed)> FailSilentRegionsAsync(ExportRecord export, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only accounts started (or restarted) longer ago than the deadline: a restart gives its account a fresh one.
        var overdue = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var account in _ledger.ReadAccountsAsync(export, cancellationToken).ConfigureAwait(false))
        {
            if (now - account.UpdatedAt >= _options.SilentAfter)
            {
                overdue.Add(account.AccountId);
            }
        }

        var silent = new List<RegionRecord>();
        await foreach (var region in _ledger.ReadRegionsAsync(export, cancellationToken).ConfigureAwait(false))
        {
            if (!region.IsTerminal && overdue.Contains(region.AccountId))
            {
                silent.Add(region);
            }
        }

        var hours = _options.SilentAfter.TotalHours;
        var completed = false;
        foreach (var region in silent)
        {
            var outcome = await _coordinator.FailRegionsAsync(
                export.ExportId,
                region.AccountId,
                [region.Region],
                region.Attempt,
                FailureKinds.Silent,
                $"no result arrived within {hours:0.#} hours of the account's start (the member execution's result was lost, or it never ran)",
                cancellationToken).ConfigureAwait(false);
            completed |= outcome.CompletedExport;
        }

        return (silent.Count, completed);
    }
}
