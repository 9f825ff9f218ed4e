using System.Diagnostics;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// Measures this process over one phase: CPU time (all threads, GC and JIT included), bytes allocated, and the working set,
/// sampled every 200 ms so a phase's own peak is known (the OS's peak covers the whole process life).
/// </summary>
internal sealed class ProcessMeter : IAsyncDisposable
{
    private static readonly TimeSpan s_sampleEvery = TimeSpan.FromMilliseconds(200);

    private readonly TimeSpan _cpuAtStart;
    private readonly long _allocatedAtStart;
    private readonly long _startTimestamp;
    private readonly PeriodicSampler _sampler;
    private long _peakWorkingSet;

    private ProcessMeter()
    {
        _peakWorkingSet = Environment.WorkingSet;
        _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
        _cpuAtStart = CpuTime();
        _startTimestamp = Stopwatch.GetTimestamp();
        _sampler = new PeriodicSampler(s_sampleEvery, Sample);
    }

    /// <summary>The measured phase, available after <see cref="StopAsync"/>.</summary>
    public PhaseMeasurement? Result { get; private set; }

    public static ProcessMeter Start() => new();

    /// <summary>Process CPU time so far: user plus system, every thread.</summary>
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>The operating system's peak working set of the whole process so far (VmHWM on Linux).</summary>
    public static long ProcessPeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    public async Task<PhaseMeasurement> StopAsync()
    {
        var wall = Stopwatch.GetElapsedTime(_startTimestamp);
        var cpu = CpuTime() - _cpuAtStart;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocatedAtStart;
        await _sampler.StopAsync().ConfigureAwait(false);
        Result = new PhaseMeasurement(wall, cpu, allocated, Interlocked.Read(ref _peakWorkingSet));
        return Result;
    }

    public ValueTask DisposeAsync() => _sampler.DisposeAsync();

    private void Sample()
    {
        var now = Environment.WorkingSet;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peakWorkingSet)) && Interlocked.CompareExchange(ref _peakWorkingSet, now, seen) != seen)
        {
        }
    }
}

/// <summary>What one phase cost this process.</summary>
/// <param name="Wall">Wall-clock time.</param>
/// <param name="Cpu">Process CPU time (user + system, all threads).</param>
/// <param name="AllocatedBytes">Managed bytes allocated.</param>
/// <param name="PeakWorkingSet">The highest working set sampled during the phase, in bytes.</param>
internal sealed record PhaseMeasurement(TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes, long PeakWorkingSet);
