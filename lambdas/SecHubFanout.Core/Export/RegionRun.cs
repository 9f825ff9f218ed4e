using System.Threading.Channels;
using Polly;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Resilience;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Export;

/// <summary>What the windows of one Region's run share: the source behind the quota gate and retries, the checkpoint book, counters.</summary>
internal sealed class RegionRun : IDisposable
{
    private readonly IFindingSource _source;
    private readonly IPartFormat _format;
    private readonly IPartSink _sink;
    private readonly IPartSpool _spool;
    private readonly PartContext _context;
    private readonly ResiliencePipeline _pipeline;
    private readonly IProgress<RegionProgress>? _progress;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<WindowCheckpoint?> _news = Channel.CreateUnbounded<WindowCheckpoint?>(new UnboundedChannelOptions { SingleReader = true });
    private int _announcedTarget;
    private int _wantsEstimates;
    private long _openFindings;
    private long _pagesFetched;
    private long _retries;
    private int _restarts;
    private readonly long _started;
    private long _firstSent;
    private long _lastAnswered;
    private long _requests;

    public RegionRun(
        string region,
        IFindingSource source,
        IPartFormat format,
        IPartSink sink,
        IPartSpool spool,
        PartContext context,
        string prefix,
        ExportOptions options,
        TimeProvider timeProvider,
        CheckpointBook book,
        IProgress<RegionProgress>? progress,
        CancellationToken deadline,
        long started)
    {
        Region = region;
        _started = started;
        _source = source;
        _format = format;
        _sink = new RetryingPartSink(sink, RetryPipeline.Create(options.Retry, timeProvider, OnStoreRetry), options.Retry.MaxRetries);
        _spool = spool;
        _context = context;
        Prefix = prefix;
        Options = options;
        Book = book;
        _progress = progress;
        Deadline = deadline;
        Gate = new QuotaGate(options.Quota, timeProvider);
        InFlight = new InFlightTarget(options.Quota.RequestsPerSecond, options.WindowConcurrency, Math.Max(options.MaxWindowConcurrency, options.WindowConcurrency));
        _timeProvider = timeProvider;
        _pipeline = RetryPipeline.Create(options.Retry, timeProvider, OnRetry);
        _pagesFetched = book.Current.Pages;
    }

    public string Region { get; }

    public string Prefix { get; }

    public ExportOptions Options { get; }

    public CheckpointBook Book { get; }

    public QuotaGate Gate { get; }

    /// <summary>How many pages should be in flight, from the round trips seen so far.</summary>
    public InFlightTarget InFlight { get; }

    /// <summary>What the scheduler acts on: a window split off (not null), or a change of the in-flight target (null).</summary>
    public ChannelReader<WindowCheckpoint?> News => _news.Reader;

    /// <summary>Hands a window split off a running one to the scheduler.</summary>
    public void OnSplitOff(WindowCheckpoint window) => _news.Writer.TryWrite(window);

    /// <summary>Tells the scheduler a chain asked to split did not (too little left): it may ask another.</summary>
    public void OnSplitDeclined() => _news.Writer.TryWrite(null);

    /// <summary>The scheduler has a slot free but no chain worth splitting yet: wake it at the next chain's new estimate.</summary>
    public void WantEstimates() => Volatile.Write(ref _wantsEstimates, 1);

    /// <summary>A chain read a page and estimated again what it has left: wakes the scheduler if it asked (once per asking).</summary>
    public void OnEstimate()
    {
        if (Interlocked.Exchange(ref _wantsEstimates, 0) == 1)
        {
            _news.Writer.TryWrite(null);
        }
    }

    /// <summary>Fires when the time budget is over.</summary>
    public CancellationToken Deadline { get; }

    public long Retries => Interlocked.Read(ref _retries);

    public int Restarts => Volatile.Read(ref _restarts);

    public PartRoller CreateRoller(string windowName) =>
        new(_format, _sink, _spool, _context, Prefix, windowName, Options.PartSize, Options.PageSize);

    /// <summary>One page: a quota token, then the call, retried with backoff on throttling and transient faults.</summary>
    public ValueTask<FindingPage> FetchAsync(FindingsRequest request, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            async ct =>
            {
                await Gate.AcquireAsync(ct).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested(); // a permit granted after the deadline must not start a request
                var sent = _timeProvider.GetTimestamp();
                Interlocked.CompareExchange(ref _firstSent, sent, 0);
                Interlocked.Increment(ref _requests);
                var page = await _source.GetFindingsAsync(request, ct).ConfigureAwait(false);
                var answered = _timeProvider.GetTimestamp();
                InFlight.Observe(_timeProvider.GetElapsedTime(sent, answered));
                RecordAnswer(answered);
                AnnounceTargetChange();
                return page;
            },
            cancellationToken);

    /// <summary>Where the run's time went so far (see <see cref="RegionTimings"/>).</summary>
    public RegionTimings Timings()
    {
        var first = Interlocked.Read(ref _firstSent);
        var last = Interlocked.Read(ref _lastAnswered);
        var average = InFlight.AverageSeconds;
        return new RegionTimings(
            first == 0 ? null : _timeProvider.GetElapsedTime(_started, first),
            last == 0 ? null : _timeProvider.GetElapsedTime(_started, last),
            Interlocked.Read(ref _requests),
            double.IsNaN(average) ? TimeSpan.Zero : TimeSpan.FromSeconds(average));
    }

    private void RecordAnswer(long answered)
    {
        long seen;
        while (answered > (seen = Interlocked.Read(ref _lastAnswered)) && Interlocked.CompareExchange(ref _lastAnswered, answered, seen) != seen)
        {
        }
    }

    private void AnnounceTargetChange()
    {
        var target = InFlight.Current;
        if (Interlocked.Exchange(ref _announcedTarget, target) != target)
        {
            _news.Writer.TryWrite(null);
        }
    }

    public void OnPageAdded(int findings)
    {
        Interlocked.Add(ref _openFindings, findings);
        Interlocked.Increment(ref _pagesFetched);
        Report();
    }

    /// <summary>Findings that left the open parts (stored, or dropped by a restart).</summary>
    public void OnOpenFindingsClosed(int findings) => Interlocked.Add(ref _openFindings, -findings);

    public void OnRestart() => Interlocked.Increment(ref _restarts);

    public void Report()
    {
        if (_progress is null)
        {
            return;
        }

        var checkpoint = Book.Current;
        _progress.Report(new RegionProgress(
            Region,
            checkpoint.Findings + Interlocked.Read(ref _openFindings),
            Interlocked.Read(ref _pagesFetched),
            checkpoint.Parts,
            Gate.Throttles,
            Retries,
            checkpoint.Windows.Count(w => w.Done),
            checkpoint.Windows.Count));
    }

    public void Dispose() => Gate.Dispose();

    private void OnStoreRetry(ServiceCallException exception) => Interlocked.Increment(ref _retries);

    private void OnRetry(ServiceCallException exception)
    {
        Interlocked.Increment(ref _retries);
        if (exception.Kind == ServiceErrorKind.Throttled)
        {
            Gate.ReportThrottle();
        }
    }
}
