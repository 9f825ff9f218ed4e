using System.Collections.Concurrent;
using System.Text.Json;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// Starts an organization-wide export: creates the export ID, lists the target accounts, writes every expected
/// (account, Region) to the ledger before anything starts (so no early result can complete the export), then starts each
/// account's state machine with bounded concurrency. An account that cannot be started is recorded failed with its reason
/// (through the result handler, which mails it once and counts its Regions as failed) and never stops the others.
/// </summary>
public sealed class ExportLauncher
{
    private readonly ILedger _ledger;
    private readonly IAccountDirectory _directory;
    private readonly IExportStarter _starter;
    private readonly IRegionResultHandler _results;
    private readonly LauncherOptions _options;
    private readonly TimeProvider _time;
    private readonly IRegionDirectory? _regions;

    /// <summary>Creates a launcher over its ports; <paramref name="regions"/> supplies the Regions when neither a request nor the options name any.</summary>
    public ExportLauncher(ILedger ledger, IAccountDirectory directory, IExportStarter starter, IRegionResultHandler results, LauncherOptions options, TimeProvider time, IRegionDirectory? regions = null)
    {
        _regions = regions;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _starter = starter ?? throw new ArgumentNullException(nameof(starter));
        _results = results ?? throw new ArgumentNullException(nameof(results));
        _options = options;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Starts a new export, or restarts chosen accounts of an existing one; throws <see cref="ArgumentException"/> for a bad request.</summary>
    public async Task<LaunchResult> StartAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(request));
        }

        var now = _time.GetUtcNow();
        ExportRecord export;
        IReadOnlyList<string> accounts;
        var restart = request.ExportId is not null;
        if (restart)
        {
            export = await _ledger.GetExportAsync(request.ExportId!, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"there is no export '{request.ExportId}' in the ledger: check the ID ('sechub-fanout status' shows it) and the ledger table", nameof(request));
            accounts = request.Accounts!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
        else
        {
            var regions = request.Regions ?? _options.DefaultRegions;
            if (regions.Count == 0 && _regions is not null)
            {
                regions = await _regions.ListRegionsAsync(cancellationToken).ConfigureAwait(false);
            }

            if (regions.Count == 0)
            {
                throw new ArgumentException("no Regions to export: name them (--regions eu-west-1,us-east-1) or configure the launcher's default Regions", nameof(request));
            }

            accounts = (request.Accounts ?? await _directory.ListAccountsAsync(cancellationToken).ConfigureAwait(false))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (accounts.Count == 0)
            {
                throw new InvalidOperationException("no target accounts: the StackSet has no instances (or the organization lists no active accounts); deploy the member exporter first");
            }

            export = new ExportRecord(
                ExportIds.Create(now),
                now,
                now,
                regions.Distinct(StringComparer.Ordinal).ToList(),
                request.Filters is { } f ? f.GetRawText() : null,
                request.Since);
            if (!await _ledger.CreateExportAsync(export, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"export ID {export.ExportId} already exists in the ledger; start again");
            }
        }

        // Every expected item exists before any account starts, so a fast account cannot make the export look finished. A restart
        // stamps its items with its number (the attempt), so results still arriving from the replaced attempt change nothing.
        var attempt = restart ? export.Restarts + 1 : 0;
        await Parallel.ForEachAsync(accounts, Parallelism(cancellationToken), async (account, ct) =>
            await _ledger.ExpectAccountAsync(export.ExportId, account, export.Regions, attempt, now, ct).ConfigureAwait(false)).ConfigureAwait(false);
        if (restart)
        {
            await _ledger.ReopenExportAsync(export.ExportId, attempt, cancellationToken).ConfigureAwait(false);
        }

        var executionName = attempt == 0 ? export.ExportId : $"{export.ExportId}-r{attempt}";

        // Cloned so the input outlives this call (starters and tests may keep it).
        JsonElement? filters = null;
        if (export.FiltersJson is not null)
        {
            using var document = JsonDocument.Parse(export.FiltersJson);
            filters = document.RootElement.Clone();
        }

        var launched = new ConcurrentBag<AccountLaunchResult>();
        await Parallel.ForEachAsync(accounts, Parallelism(cancellationToken), async (account, ct) =>
        {
            var input = new MemberExecutionInput(export.ExportId, account, export.Regions, filters, export.Since, export.Until, attempt);
            launched.Add(await StartAccountAsync(new MemberExecution(account, executionName, input), ct).ConfigureAwait(false));
        }).ConfigureAwait(false);

        return new LaunchResult(export.ExportId, attempt, export.Regions, launched.OrderBy(a => a.AccountId, StringComparer.Ordinal).ToList());
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };

    private async Task<AccountLaunchResult> StartAccountAsync(MemberExecution execution, CancellationToken cancellationToken)
    {
        var exportId = execution.Input.ExportId;
        string arn;
        try
        {
            arn = await _starter.StartAsync(execution, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = $"could not start the exporter in account {execution.AccountId}: {e.Message}";
            await _ledger.RecordLaunchAsync(exportId, execution.AccountId, null, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await _results.HandleLaunchFailureAsync(exportId, execution.AccountId, execution.Input.Regions, execution.Input.Attempt, reason, cancellationToken).ConfigureAwait(false);

            return new AccountLaunchResult(execution.AccountId, null, reason);
        }

        await _ledger.RecordLaunchAsync(exportId, execution.AccountId, arn, null, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new AccountLaunchResult(execution.AccountId, arn, null);
    }
}
