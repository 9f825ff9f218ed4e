using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.RateLimiting;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// Starts an organization-wide export: creates the export ID, lists the target accounts, and for each account (in parallel, at a
/// bounded rate) resolves its Regions (given, or the ones enabled in that member), expects it in the ledger and starts its state
/// machine. The export can only complete once every account is expected (the launch is marked finished at the end), so no early
/// result finishes it. An account that cannot be started is recorded failed at once and never stops the others. A launch that
/// runs out of time hands the rest on to a continuation; a restart stops the execution it replaces.
/// </summary>
public sealed class ExportLauncher
{
    private readonly ILedger _ledger;
    private readonly IAccountDirectory _directory;
    private readonly IExportStarter _starter;
    private readonly IRegionResultHandler _results;
    private readonly LauncherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILaunchContinuation? _continuation;

    /// <summary>Creates a launcher over its ports; without <paramref name="continuation"/> a launch runs to its end in one call.</summary>
    public ExportLauncher(ILedger ledger, IAccountDirectory directory, IExportStarter starter, IRegionResultHandler results, LauncherOptions options, TimeProvider time, ILaunchContinuation? continuation = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AccountsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AccountsPerShard, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxShards, 1);
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _starter = starter ?? throw new ArgumentNullException(nameof(starter));
        _results = results ?? throw new ArgumentNullException(nameof(results));
        _options = options;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _continuation = continuation;
    }

    /// <summary>
    /// Starts a new export, continues one, or restarts chosen accounts of an existing one. With a continuation, accounts not reached
    /// by <paramref name="stopLaunchingAt"/> are handed on to the next invocation. Throws <see cref="ArgumentException"/> for a bad request.
    /// </summary>
    public async Task<LaunchResult> StartAsync(LaunchRequest request, CancellationToken cancellationToken, DateTimeOffset? stopLaunchingAt = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(request));
        }

        if (request.ExportId is not null)
        {
            return await RestartAsync(request.ExportId, request.Accounts!, cancellationToken).ConfigureAwait(false);
        }

        ExportRecord export;
        if (request.ContinueExportId is { } continued)
        {
            export = await _ledger.GetExportAsync(continued, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"there is no export '{continued}' to continue launching", nameof(request));
            if (export.LaunchedAt is not null)
            {
                return new LaunchResult(export.ExportId, 0, export.Regions, 0, []);
            }
        }
        else
        {
            var now = _time.GetUtcNow();
            export = new ExportRecord(
                ExportIds.Create(now),
                now,
                now,
                (request.Regions ?? _options.DefaultRegions).Distinct(StringComparer.Ordinal).ToList(),
                request.Filters is { } f ? f.GetRawText() : null,
                request.Since,
                Overlap: request.IncrementalOverlap())
            {
                Api = request.FindingsApi == FindingsApi.V2 ? request.FindingsApi.Name() : null,
            };
        }

        var accounts = (request.Accounts ?? (await _directory.ListAccountsAsync(cancellationToken).ConfigureAwait(false)).Concat(_options.AlsoLaunch).ToList())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (accounts.Count == 0)
        {
            throw new InvalidOperationException("no target accounts: the StackSet has no instances (or the organization lists no active accounts); deploy the member exporter first");
        }

        if (request.ContinueExportId is null)
        {
            export = export with { Shards = _options.ShardsFor(accounts.Count) };
        }

        if (request.ContinueExportId is null && !await _ledger.CreateExportAsync(export, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"export ID {export.ExportId} already exists in the ledger; start again");
        }

        if (request.ContinueFrom is { } from)
        {
            accounts = accounts.Where(a => string.CompareOrdinal(a, from) >= 0).ToList();
        }

        return await LaunchAccountsAsync(export, accounts, request.Accounts, request.ContinueExportId is not null, stopLaunchingAt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LaunchResult> LaunchAccountsAsync(ExportRecord export, List<string> accounts, IReadOnlyList<string>? requested, bool continuing, DateTimeOffset? stopAt, CancellationToken cancellationToken)
    {
        var filters = Filters(export);
        var failures = new ConcurrentBag<AccountLaunchResult>();
        var started = 0;
        string? firstLeft = null;
        var firstLeftLock = new object();
        using var rate = Rate();
        await Parallel.ForEachAsync(accounts, Parallelism(cancellationToken), async (account, ct) =>
        {
            if (_continuation is not null && stopAt is { } stop && _time.GetUtcNow() >= stop)
            {
                lock (firstLeftLock)
                {
                    firstLeft = firstLeft is null || string.CompareOrdinal(account, firstLeft) < 0 ? account : firstLeft;
                }

                return;
            }

            // A continued launch skips what an earlier invocation finished; an account it expected but did not start is started now.
            var known = continuing ? await _ledger.GetAccountAsync(export.ExportId, account, ct).ConfigureAwait(false) : null;
            if (known is not null && known.Launch != AccountLaunchStatus.Pending)
            {
                return;
            }

            using var lease = await rate.AcquireAsync(1, ct).ConfigureAwait(false);
            var outcome = await LaunchAccountAsync(export, account, known?.Regions, filters, ct).ConfigureAwait(false);
            if (outcome.Error is null)
            {
                Interlocked.Increment(ref started);
            }
            else
            {
                failures.Add(outcome);
            }
        }).ConfigureAwait(false);

        // Accounts are taken in order, so the ones left are those from the first one left on: the next invocation starts there.
        if (firstLeft is not null)
        {
            await _continuation!.ContinueAsync(new LaunchRequest(Accounts: requested, ContinueExportId: export.ExportId, ContinueFrom: firstLeft), cancellationToken).ConfigureAwait(false);
            return new LaunchResult(export.ExportId, 0, export.Regions, started, Sorted(failures), Continued: true);
        }

        await _ledger.MarkLaunchedAsync(export.ExportId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // Every result may have arrived while accounts were still being launched: the export can only finish from here then.
        await _results.TryCompleteAsync(export.ExportId, cancellationToken).ConfigureAwait(false);
        return new LaunchResult(export.ExportId, 0, export.Regions, started, Sorted(failures));
    }

    private async Task<AccountLaunchResult> LaunchAccountAsync(ExportRecord export, string account, IReadOnlyList<string>? expected, JsonElement? filters, CancellationToken cancellationToken)
    {
        IMemberSession session;
        try
        {
            session = await _starter.OpenAsync(account, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Without a session its own Regions cannot be listed either: one item stands for all of them.
            var regions = expected ?? (export.Regions.Count > 0 ? export.Regions : [LaunchRegions.All]);
            await _ledger.ExpectAccountAsync(export.ExportId, account, regions, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return await RecordFailureAsync(export.ExportId, account, regions, 0, e.Message, cancellationToken).ConfigureAwait(false);
        }

        await using (session.ConfigureAwait(false))
        {
            var regions = expected ?? export.Regions;
            if (regions.Count == 0)
            {
                try
                {
                    regions = await session.EnabledRegionsAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await _ledger.ExpectAccountAsync(export.ExportId, account, [LaunchRegions.All], _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    return await RecordFailureAsync(export.ExportId, account, [LaunchRegions.All], 0, "could not list the Regions enabled in the account: " + e.Message, cancellationToken).ConfigureAwait(false);
                }
            }

            if (expected is null)
            {
                await _ledger.ExpectAccountAsync(export.ExportId, account, regions, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            var input = new MemberExecutionInput(export.ExportId, account, regions, filters, await SinceAsync(export, account, regions, cancellationToken).ConfigureAwait(false), export.Until, 0) { Api = export.Api };
            return await StartAsync(session, new MemberExecution(account, export.ExportId, input), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<LaunchResult> RestartAsync(string exportId, IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var export = await _ledger.GetExportAsync(exportId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"there is no export '{exportId}' in the ledger: check the ID ('sechub-fanout status' shows it) and the ledger table", nameof(requested));
        if (export.LaunchedAt is null)
        {
            throw new InvalidOperationException($"export {exportId} is still being launched; restart accounts once 'sechub-fanout status {exportId}' shows it launched");
        }

        // The restart's number fences it: results of the replaced attempt are ignored, and a concurrent restart of the same export is refused.
        var attempt = export.Restarts + 1;
        await _ledger.ReopenExportAsync(exportId, attempt, cancellationToken).ConfigureAwait(false);
        var filters = Filters(export);
        var failures = new ConcurrentBag<AccountLaunchResult>();
        var started = 0;
        var accounts = requested.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        using var rate = Rate();
        await Parallel.ForEachAsync(accounts, Parallelism(cancellationToken), async (account, ct) =>
        {
            using var lease = await rate.AcquireAsync(1, ct).ConfigureAwait(false);
            var outcome = await RestartAccountAsync(export, account, attempt, filters, ct).ConfigureAwait(false);
            if (outcome.Error is null)
            {
                Interlocked.Increment(ref started);
            }
            else
            {
                failures.Add(outcome);
            }
        }).ConfigureAwait(false);

        await _results.TryCompleteAsync(exportId, cancellationToken).ConfigureAwait(false);
        return new LaunchResult(exportId, attempt, export.Regions, started, Sorted(failures));
    }

    private async Task<AccountLaunchResult> RestartAccountAsync(ExportRecord export, string account, int attempt, JsonElement? filters, CancellationToken cancellationToken)
    {
        var before = await _ledger.RestartAccountAsync(export.ExportId, account, attempt, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return new AccountLaunchResult(account, null, $"account {account} is not part of export {export.ExportId}: restart only accounts the export launched");
        }

        var regions = before.Regions is { Count: > 0 } r ? r : [LaunchRegions.All];
        IMemberSession session;
        try
        {
            session = await _starter.OpenAsync(account, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await RecordFailureAsync(export.ExportId, account, regions, attempt, e.Message, cancellationToken).ConfigureAwait(false);
        }

        await using (session.ConfigureAwait(false))
        {
            // The replaced execution would go on writing the same part keys: stop it first.
            if (before.ExecutionArn is { } replaced)
            {
                try
                {
                    await session.StopAsync(replaced, $"replaced by restart {attempt} of export {export.ExportId}", cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    return await RecordFailureAsync(export.ExportId, account, regions, attempt, $"could not stop the execution {replaced} this restart replaces: {e.Message}", cancellationToken).ConfigureAwait(false);
                }
            }

            if (regions is [LaunchRegions.All])
            {
                try
                {
                    regions = await session.EnabledRegionsAsync(cancellationToken).ConfigureAwait(false);
                    await _ledger.ReplaceAllRegionsAsync(export.ExportId, account, regions, attempt, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    return await RecordFailureAsync(export.ExportId, account, [LaunchRegions.All], attempt, "could not list the Regions enabled in the account: " + e.Message, cancellationToken).ConfigureAwait(false);
                }
            }

            var input = new MemberExecutionInput(export.ExportId, account, regions, filters, await SinceAsync(export, account, regions, cancellationToken).ConfigureAwait(false), export.Until, attempt) { Api = export.Api };
            return await StartAsync(session, new MemberExecution(account, $"{export.ExportId}-r{attempt}", input), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Where the account's export starts: the export's own start, or for an incremental export the earliest of its Regions'
    /// watermarks minus the overlap (the member takes one start for all its Regions; null when a Region has none: a full export).
    /// A restart reads them again: Regions that completed have moved on, a failed one has not, so the gap is still covered.
    /// </summary>
    private async Task<DateTimeOffset?> SinceAsync(ExportRecord export, string account, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        if (export.Overlap is not { } overlap)
        {
            return export.Since;
        }

        var watermarks = await _ledger.GetWatermarksAsync(account, cancellationToken).ConfigureAwait(false);
        return watermarks.EarliestSince(regions, overlap, export.Until);
    }

    private async Task<AccountLaunchResult> StartAsync(IMemberSession session, MemberExecution execution, CancellationToken cancellationToken)
    {
        string arn;
        try
        {
            arn = await session.StartAsync(execution, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await RecordFailureAsync(execution.Input.ExportId, execution.AccountId, execution.Input.Regions, execution.Input.Attempt, e.Message, cancellationToken).ConfigureAwait(false);
        }

        await _ledger.RecordLaunchAsync(execution.Input.ExportId, execution.AccountId, arn, null, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new AccountLaunchResult(execution.AccountId, arn, null);
    }

    private async Task<AccountLaunchResult> RecordFailureAsync(string exportId, string account, IReadOnlyList<string> regions, int attempt, string error, CancellationToken cancellationToken)
    {
        var reason = $"could not start the exporter in account {account}: {error}";
        await _ledger.RecordLaunchAsync(exportId, account, null, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _results.HandleLaunchFailureAsync(exportId, account, regions, attempt, reason, cancellationToken).ConfigureAwait(false);
        return new AccountLaunchResult(account, null, reason);
    }

    private static JsonElement? Filters(ExportRecord export)
    {
        if (export.FiltersJson is null)
        {
            return null;
        }

        // Cloned so the input outlives this call (starters and tests may keep it).
        using var document = JsonDocument.Parse(export.FiltersJson);
        return document.RootElement.Clone();
    }

    private static List<AccountLaunchResult> Sorted(IEnumerable<AccountLaunchResult> results) => results.OrderBy(a => a.AccountId, StringComparer.Ordinal).ToList();

    private TokenBucketRateLimiter Rate() => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = _options.AccountsPerSecond,
        TokensPerPeriod = _options.AccountsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };
}
