using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Export;

/// <summary>
/// Exports one account's findings in one Region: plans the <c>UpdatedAt</c> windows (or takes them from a checkpoint), pages several
/// at once under one quota gate, stores parts, advances the checkpoint, and stops cleanly at the time budget.
/// </summary>
public sealed class RegionExporter
{
    private readonly IFindingSource _source;
    private readonly IPartSink _sink;
    private readonly IPartFormat _format;
    private readonly ExportOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IPartSpool _spool;

    /// <summary>Creates an exporter; <paramref name="spool"/> defaults to temporary files.</summary>
    public RegionExporter(IFindingSource source, IPartSink sink, IPartFormat format, ExportOptions options, TimeProvider timeProvider, IPartSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _source = source;
        _sink = sink;
        _format = format;
        _options = options;
        _timeProvider = timeProvider;
        _spool = spool ?? new TempFileSpool();
    }

    /// <summary>
    /// Exports <paramref name="region"/>, resuming from <paramref name="resume"/> when given. Service failures end in the result's
    /// status, never in an exception; invalid arguments throw <see cref="ArgumentException"/>, cancellation throws.
    /// </summary>
    public Task<RegionResult> ExportAsync(ExportRequest request, string region, ExportCheckpoint? resume, ExportCallbacks? callbacks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        var end = PinEnd(request, resume is null ? [] : [resume], _timeProvider);
        var initial = Prepare(request, region, resume, end);
        return RunAsync(request, region, initial, callbacks ?? new ExportCallbacks(), started, cancellationToken);
    }

    /// <summary>The pinned end of an export: a checkpoint's, else the request's, else now (to the millisecond).</summary>
    internal static DateTimeOffset PinEnd(ExportRequest request, IReadOnlyCollection<ExportCheckpoint> resume, TimeProvider timeProvider)
    {
        var ends = resume.Select(c => c.End).Distinct().ToList();
        if (ends.Count > 1)
        {
            throw new ArgumentException("The checkpoints given belong to exports with different end instants: resume one export at a time.", nameof(resume));
        }

        var until = request.Until is null ? (DateTimeOffset?)null : Instants.TruncateToMillisecond(request.Until.Value);
        if (ends.Count == 1)
        {
            if (until is not null && until != ends[0])
            {
                throw new ArgumentException(
                    $"The checkpoint pins the export's end at {UpdatedAtWindow.FormatInstant(ends[0])}, but the request asks for {UpdatedAtWindow.FormatInstant(until.Value)}: drop the end instant or the checkpoint.",
                    nameof(request));
            }

            return ends[0];
        }

        return until ?? Instants.TruncateToMillisecond(timeProvider.GetUtcNow());
    }

    /// <summary>Validates the inputs and returns the checkpoint the run starts from (the given one, or a fresh plan).</summary>
    internal ExportCheckpoint Prepare(ExportRequest request, string region, ExportCheckpoint? resume, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Filters);
        PartKeys.ValidateSegments(request.ExportId, request.AccountId, region);
        if (request.TimeBudget is { } budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), budget, "The time budget must be positive.");
        }

        if (resume is null)
        {
            var plan = ExportPlan.Create(end, _options.RecentSpan, _options.RecentWindows, _options.WindowGrowth, request.SinceFor(region));
            return new ExportCheckpoint(
                ExportCheckpoint.CurrentVersion,
                request.ExportId,
                request.AccountId,
                region,
                plan.End,
                request.Filters.Fingerprint,
                plan.Windows.Select(WindowCheckpoint.NotStarted).ToList());
        }

        if (resume.ExportId != request.ExportId || resume.AccountId != request.AccountId || resume.Region != region)
        {
            throw new ArgumentException(
                $"The checkpoint belongs to export {resume.ExportId}, account {resume.AccountId}, Region {resume.Region}, not to export {request.ExportId}, account {request.AccountId}, Region {region}.",
                nameof(resume));
        }

        if (resume.FiltersFingerprint != request.Filters.Fingerprint)
        {
            throw new ArgumentException("The checkpoint was written with other filters: resume with the same filters, or start a new export.", nameof(resume));
        }

        try
        {
            resume.ToPlan();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The checkpoint's windows are inconsistent: {e.Message}", nameof(resume), e);
        }

        return resume;
    }

    internal async Task<RegionResult> RunAsync(ExportRequest request, string region, ExportCheckpoint initial, ExportCallbacks callbacks, long started, CancellationToken cancellationToken)
    {
        var prefix = PartKeys.PartitionPrefix(request.ExportId, request.AccountId, region, initial.End, request.Filters.Api);
        if (initial.IsComplete)
        {
            return Result(region, RegionStatus.Complete, null, initial, 0, 0, 0, started, prefix);
        }

        using var deadline = request.TimeBudget is { } budget
            ? new CancellationTokenSource(Max(budget - _timeProvider.GetElapsedTime(started), TimeSpan.Zero), _timeProvider)
            : new CancellationTokenSource();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var paging = CancellationTokenSource.CreateLinkedTokenSource(abort.Token, deadline.Token);
        using var book = new CheckpointBook(initial, callbacks.CheckpointSaved);
        var context = new PartContext(request.ExportId, request.AccountId, region, initial.End);
        using var run = new RegionRun(region, _source, _format, _sink, _spool, context, prefix, _options, _timeProvider, book, callbacks.Progress, deadline.Token, started);

        var failure = await ScheduleAsync(run, initial, request.Filters, deadline.Token, abort, paging.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var checkpoint = book.Current;
        run.Report();
        var timings = run.Timings();
        if (failure is not null)
        {
            return failure is ServiceCallException { Kind: ServiceErrorKind.NotEnabled } notEnabled
                ? Result(region, RegionStatus.NotEnabled, notEnabled.Message, null, run.Gate.Throttles, run.Retries, run.Restarts, started, prefix) with { Timings = timings }
                : Result(region, RegionStatus.Failed, Describe(failure, region, request.Filters.Api), checkpoint, run.Gate.Throttles, run.Retries, run.Restarts, started, prefix)
                    with { FailureKind = failure switch { ServiceCallException e => e.Kind, PartStoreException { Cause: { } cause } => cause.Kind, CheckpointSaveException { Cause: { } cause } => cause.Kind, _ => null }, Timings = timings };
        }

        var status = checkpoint.IsComplete ? RegionStatus.Complete : RegionStatus.InProgress;
        return Result(region, status, null, checkpoint, run.Gate.Throttles, run.Retries, run.Restarts, started, prefix) with { Timings = timings };
    }

    /// <summary>
    /// Runs the windows in index order (those split off join the queue as they appear), as many at once as the in-flight target
    /// asks for: it follows the observed latency, so a slow service gets more pages in flight and a fast one fewer. Returns the
    /// first failure of a window (which stops the others), or null.
    /// </summary>
    private static async Task<Exception?> ScheduleAsync(RegionRun run, ExportCheckpoint initial, FindingFilters filters, CancellationToken deadline, CancellationTokenSource abort, CancellationToken paging)
    {
        var waiting = new Queue<WindowCheckpoint>(initial.Windows.Where(w => !w.Done));
        var running = new Dictionary<Task, WindowPager>();
        Exception? failure = null;
        Task<bool>? news = null;

        async Task RunWindowAsync(WindowPager pager)
        {
            try
            {
                await pager.RunAsync(paging, abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // One window's failure (service or sink) fails the Region with its reason, never the process.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref failure, e, null);
                await abort.CancelAsync().ConfigureAwait(false);
            }
        }

        while (true)
        {
            while (run.News.TryRead(out var splitOff))
            {
                if (splitOff is not null)
                {
                    waiting.Enqueue(splitOff);
                }
            }

            if (!deadline.IsCancellationRequested && !abort.IsCancellationRequested)
            {
                var target = run.InFlight.Current;
                while (running.Count < target && waiting.TryDequeue(out var next))
                {
                    var pager = new WindowPager(run, next, filters);
                    running.Add(Task.Run(() => RunWindowAsync(pager), CancellationToken.None), pager);
                }

                if (run.Options.SplitWhenIdle && running.Count < target && waiting.Count == 0
                    && !AskToSplit(running.Values, run.InFlight.AverageSeconds, run.Options.Quota.RequestsPerSecond))
                {
                    // Nothing worth splitting yet (no estimate, or every chain short enough): look again after the next page.
                    run.WantEstimates();
                }
            }

            if (running.Count == 0)
            {
                return failure;
            }

            // Wake when a window ends, splits (or declines to), or the target changes.
            news ??= run.News.WaitToReadAsync(CancellationToken.None).AsTask();
            var done = await Task.WhenAny(running.Keys.Append(news)).ConfigureAwait(false);
            if (done == news)
            {
                news = null;
            }
            else
            {
                running.Remove(done);
            }
        }
    }

    /// <summary>
    /// With a page slot free and no window waiting: asks the chain that would finish last to split, when reading its pages one round
    /// trip after another takes longer than the quota needs for every page left in the Region (else splitting only costs a partial page).
    /// At most one request is open at a time. True when a request is open (its outcome wakes the scheduler), false when none was made.
    /// </summary>
    private static bool AskToSplit(IEnumerable<WindowPager> running, double roundTripSeconds, double requestsPerSecond)
    {
        if (double.IsNaN(roundTripSeconds))
        {
            return false;
        }

        WindowPager? longest = null;
        var longestLeft = 0.0;
        var total = 0.0;
        foreach (var pager in running)
        {
            if (pager.SplitRequested)
            {
                return true;
            }

            // Read once: the chain updates its estimate while this runs.
            var left = pager.PagesLeft;
            if (double.IsNaN(left))
            {
                continue;
            }

            total += left;
            if (longest is null || left > longestLeft)
            {
                longest = pager;
                longestLeft = left;
            }
        }

        if (longest is not null && longestLeft >= 2 && longestLeft * roundTripSeconds > (total / requestsPerSecond) + roundTripSeconds)
        {
            longest.RequestSplit();
            return true;
        }

        return false;
    }

    private string Describe(Exception failure, string region, FindingsApi api) => failure switch
    {
        PartStoreException e => e.Message,
        CheckpointSaveException e => e.Message,
        ServiceCallException { IsRetryable: true } e =>
            $"{api.Operation()} in {region} still failed after {_options.Retry.MaxRetries} retries ({e.ErrorCode ?? e.Kind.ToString()}): {e.Message}",
        ServiceCallException e => $"{api.Operation()} in {region} failed ({e.ErrorCode ?? e.Kind.ToString()}): {e.Message}",
        _ => $"{failure.GetType().Name}: {failure.Message}",
    };

    private RegionResult Result(string region, RegionStatus status, string? reason, ExportCheckpoint? checkpoint, long throttles, long retries, int restarts, long started, string prefix) =>
        new(
            region,
            status,
            reason,
            checkpoint?.Findings ?? 0,
            checkpoint?.Pages ?? 0,
            checkpoint?.Parts ?? 0,
            checkpoint?.Bytes ?? 0,
            throttles,
            retries,
            restarts,
            _timeProvider.GetElapsedTime(started),
            prefix,
            checkpoint);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
