using System.Diagnostics;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// Samples this process's garbage-collected heap every 50 ms: the heap size right after the latest collection (live data plus
/// garbage not yet collected in older generations, and fragmentation), what full collections found alive, the memory the GC has
/// committed and the working set, keeping the peak of each; plus collection counts.
/// </summary>
internal sealed class HeapSampler : IAsyncDisposable
{
    private static readonly TimeSpan s_sampleEvery = TimeSpan.FromMilliseconds(50);

    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();
    private readonly PeriodicSampler _sampler;
    private long _peakHeapAfterGc;
    private long _peakHeapAfterGen2;
    private long _peakLiveAtGen2;
    private long _peakCommitted;
    private long _peakWorkingSet;

    private HeapSampler()
    {
        _sampler = new PeriodicSampler(s_sampleEvery, Sample);
    }

    public static HeapSampler Start() => new();

    public async Task<HeapMeasurement> StopAsync()
    {
        var wall = Stopwatch.GetElapsedTime(_startTimestamp);
        await _sampler.StopAsync().ConfigureAwait(false);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        lock (_lock)
        {
            return new HeapMeasurement(
                wall,
                _peakHeapAfterGc,
                _peakHeapAfterGen2,
                _peakLiveAtGen2,
                _peakCommitted,
                _peakWorkingSet,
                ProcessMeter.ProcessPeakWorkingSet(),
                info.TotalAvailableMemoryBytes,
                GC.GetTotalAllocatedBytes(precise: false) - _allocatedAtStart,
                GC.CollectionCount(0) - _collectionsAtStart[0],
                GC.CollectionCount(1) - _collectionsAtStart[1],
                GC.CollectionCount(2) - _collectionsAtStart[2]);
        }
    }

    public ValueTask DisposeAsync() => _sampler.DisposeAsync();

    private void Sample()
    {
        var any = GC.GetGCMemoryInfo(GCKind.Any);
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var workingSet = Environment.WorkingSet;
        lock (_lock)
        {
            _peakHeapAfterGc = Math.Max(_peakHeapAfterGc, any.HeapSizeBytes);
            _peakLiveAtGen2 = Math.Max(_peakLiveAtGen2, Math.Max(full.PromotedBytes, background.PromotedBytes));
            _peakHeapAfterGen2 = Math.Max(_peakHeapAfterGen2, Math.Max(full.HeapSizeBytes, background.HeapSizeBytes));
            _peakCommitted = Math.Max(_peakCommitted, any.TotalCommittedBytes);
            _peakWorkingSet = Math.Max(_peakWorkingSet, workingSet);
        }
    }
}

/// <summary>What one phase held in memory, as sampled by <see cref="HeapSampler"/>; sizes in bytes.</summary>
/// <param name="Wall">Wall-clock time of the phase.</param>
/// <param name="PeakHeapAfterGc">The largest heap size seen right after a collection (any generation): live objects plus fragmentation.</param>
/// <param name="PeakHeapAfterGen2">The same, after full (gen2) collections only; 0 when none happened.</param>
/// <param name="PeakLiveAtGen2">The most bytes a full (gen2) collection found alive: the live data, garbage excluded; 0 when none happened.</param>
/// <param name="PeakCommitted">The most memory the GC had committed from the OS.</param>
/// <param name="PeakWorkingSet">The highest working set sampled during the phase.</param>
/// <param name="ProcessPeakWorkingSet">The operating system's peak working set of the whole process (VmHWM).</param>
/// <param name="GcAvailableMemory">The memory the GC believes it may use (the heap hard limit when one is set).</param>
/// <param name="AllocatedBytes">Managed bytes allocated during the phase.</param>
/// <param name="Gen0Collections">Gen0 collections during the phase.</param>
/// <param name="Gen1Collections">Gen1 collections during the phase.</param>
/// <param name="Gen2Collections">Gen2 collections during the phase.</param>
internal sealed record HeapMeasurement(
    TimeSpan Wall,
    long PeakHeapAfterGc,
    long PeakHeapAfterGen2,
    long PeakLiveAtGen2,
    long PeakCommitted,
    long PeakWorkingSet,
    long ProcessPeakWorkingSet,
    long GcAvailableMemory,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections);
