using System.Diagnostics;
using SecHubFanout.Core.Export;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// Watches the baseline stream page by page, stops it after a bounded sample, and turns the page times into a rate. The rate is
/// taken after the first <c>skipPages</c> pages (the quota's burst), so it is the stream's steady state.
/// </summary>
internal sealed class BaselineProgress : IProgress<RegionProgress>
{
    private readonly List<(long Timestamp, long Pages, long Findings)> _points = [];
    private readonly Lock _lock = new();
    private readonly long _stopAfterPages;
    private readonly CancellationTokenSource _stop;
    private readonly long _started = Stopwatch.GetTimestamp();

    public BaselineProgress(long stopAfterPages, CancellationTokenSource stop)
    {
        _stopAfterPages = stopAfterPages;
        _stop = stop;
    }

    /// <summary>True once the sample is complete and the stream was told to stop.</summary>
    public bool Reached { get; private set; }

    public void Report(RegionProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (_points.Count > 0 && value.Pages <= _points[^1].Pages)
            {
                return;
            }

            _points.Add((Stopwatch.GetTimestamp(), value.Pages, value.Findings));
            if (value.Pages >= _stopAfterPages && !Reached)
            {
                Reached = true;

                // Off the engine's thread: cancellation callbacks must not run inside its progress report.
                _ = Task.Run(_stop.Cancel);
            }
        }
    }

    /// <summary>Findings, pages and seconds of the measured part of the stream (after <paramref name="skipPages"/> pages when it went that far).</summary>
    public (long Findings, long Pages, TimeSpan Elapsed) Measure(int skipPages)
    {
        lock (_lock)
        {
            if (_points.Count == 0)
            {
                return (0, 0, Stopwatch.GetElapsedTime(_started));
            }

            var last = _points[^1];
            var from = _points.FindIndex(p => p.Pages >= skipPages);
            if (from < 0 || from == _points.Count - 1)
            {
                // Too short a stream to leave the burst behind: the whole stream, burst included.
                return (last.Findings, last.Pages, Stopwatch.GetElapsedTime(_started, last.Timestamp));
            }

            var first = _points[from];
            return (last.Findings - first.Findings, last.Pages - first.Pages, Stopwatch.GetElapsedTime(first.Timestamp, last.Timestamp));
        }
    }
}
