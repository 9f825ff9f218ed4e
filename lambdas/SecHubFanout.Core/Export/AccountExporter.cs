using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Export;

/// <summary>
/// Exports one account's findings in several Regions at once (each Region with its own quota gate), all pinned at the same end,
/// and gathers the Regions' results; one Region's failure never stops the others.
/// </summary>
public sealed class AccountExporter
{
    private readonly RegionExporter _regionExporter;
    private readonly ExportOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an exporter; <paramref name="spool"/> defaults to temporary files.</summary>
    public AccountExporter(IFindingSource source, IPartSink sink, IPartFormat format, ExportOptions options, TimeProvider timeProvider, IPartSpool? spool = null)
    {
        _regionExporter = new RegionExporter(source, sink, format, options, timeProvider, spool);
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Exports <paramref name="regions"/>, resuming each Region whose checkpoint is in <paramref name="resume"/>. Every input is checked
    /// before anything is fetched or written; invalid ones throw <see cref="ArgumentException"/>.
    /// </summary>
    public async Task<AccountResult> ExportAsync(
        ExportRequest request,
        IReadOnlyList<string> regions,
        IReadOnlyCollection<ExportCheckpoint>? resume,
        ExportCallbacks? callbacks,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(regions);
        var started = _timeProvider.GetTimestamp();
        resume ??= [];
        if (regions.Count == 0)
        {
            throw new ArgumentException("No Region to export.", nameof(regions));
        }

        var duplicate = regions.GroupBy(r => r, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Region {duplicate.Key} is listed twice.", nameof(regions));
        }

        var byRegion = new Dictionary<string, ExportCheckpoint>(StringComparer.Ordinal);
        foreach (var checkpoint in resume)
        {
            if (!byRegion.TryAdd(checkpoint.Region, checkpoint))
            {
                throw new ArgumentException($"Two checkpoints are given for Region {checkpoint.Region}.", nameof(resume));
            }
        }

        var end = RegionExporter.PinEnd(request, resume, _timeProvider);
        var initial = regions
            .Select(region => _regionExporter.Prepare(request, region, byRegion.GetValueOrDefault(region), end))
            .ToList();

        callbacks ??= new ExportCallbacks();
        var results = new RegionResult[regions.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, regions.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.RegionConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await _regionExporter.RunAsync(request, regions[i], initial[i], callbacks, started, ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        return new AccountResult(request.ExportId, request.AccountId, end, results, _timeProvider.GetElapsedTime(started));
    }
}
