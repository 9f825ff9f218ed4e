namespace SecHubFanout.Cli.Bench;

/// <summary>What one memory-scaling child process (<c>bench memory-probe</c>) exported and held in memory; its one line of JSON output.</summary>
internal sealed record MemoryProbeReport
{
    /// <summary>Findings stored, per account-Region, as "account/Region".</summary>
    public required IReadOnlyDictionary<string, long> FindingsByRegion { get; init; }

    /// <summary>Account-Regions that did not end complete, with their status and reason.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    public required double Seconds { get; init; }

    /// <summary>Process CPU time over the export (all threads, GC included), in seconds.</summary>
    public required double CpuSeconds { get; init; }

    public required double PeakHeapMb { get; init; }

    public required double PeakHeapAfterGen2Mb { get; init; }

    public required double PeakLiveAtGen2Mb { get; init; }

    public required double PeakCommittedMb { get; init; }

    public required double PeakWorkingSetMb { get; init; }

    public required double GcAvailableMb { get; init; }

    public required double AllocatedMb { get; init; }

    public required int Gen0Collections { get; init; }

    public required int Gen1Collections { get; init; }

    public required int Gen2Collections { get; init; }
}
