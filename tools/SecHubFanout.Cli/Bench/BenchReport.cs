using System.Text.Json.Serialization;

namespace SecHubFanout.Cli.Bench;

/// <summary>One run of <c>bench</c>: the inputs, the machine and the figures; serialized as the last line of <c>--json</c> output.</summary>
internal sealed record BenchReport
{
    public required int Accounts { get; init; }

    public required int Regions { get; init; }

    public required int FindingsPerRegion { get; init; }

    public required int LatencyMs { get; init; }

    public required int BaselinePages { get; init; }

    public required int Cores { get; init; }

    public required string Cpu { get; init; }

    public required string Runtime { get; init; }

    public required string StartedAt { get; init; }

    /// <summary>The 1-minute load average when the run started (other work on the machine), or -1 where unknown.</summary>
    [JsonPropertyName("load_average_1m")]
    public required double LoadAverage1m { get; init; }

    public required double BaselineFindingsPerS { get; init; }

    public required long BaselineFindings { get; init; }

    public required double BaselineSeconds { get; init; }

    public required long BaselinePagesMeasured { get; init; }

    public required long FanoutFindings { get; init; }

    public required double FanoutSeconds { get; init; }

    public required double FanoutFindingsPerS { get; init; }

    /// <summary>What A x R streams can fetch at most: A x R x 300 findings/s.</summary>
    public required double QuotaLimitFindingsPerS { get; init; }

    public required double Speedup { get; init; }

    public required int IdealSpeedup { get; init; }

    public required double Saturation { get; init; }

    public required long Requests { get; init; }

    public required long Throttles { get; init; }

    public required int Parts { get; init; }

    public required long PartBytes { get; init; }

    public required double CpuSeconds { get; init; }

    public required double CpuUsPerFinding { get; init; }

    /// <summary>The emulator's serving cost per finding (calibrated, upper bound), included in <see cref="CpuUsPerFinding"/>.</summary>
    public required double EmulatorCpuUsPerFinding { get; init; }

    /// <summary><see cref="CpuUsPerFinding"/> minus <see cref="EmulatorCpuUsPerFinding"/>: the exporter's share.</summary>
    public required double ExporterCpuUsPerFinding { get; init; }

    /// <summary>Where the fan-out's wall time went (see <see cref="Exporting.TimeBreakdown"/>): the host's start-up before the engine ran, in seconds.</summary>
    public double? HostStartUpSeconds { get; init; }

    /// <summary>The slowest stream's start-up before its first call, in seconds.</summary>
    public double? StartUpSeconds { get; init; }

    /// <summary>The median stream's start-up before its first call, in seconds.</summary>
    public double? MedianStartUpSeconds { get; init; }

    /// <summary>The slowest stream's calls (its requests at the quota set the floor of the wall time).</summary>
    public long? SlowestStreamRequests { get; init; }

    /// <summary>The slowest stream's time between its first call and its last answer that the quota did not need, in seconds.</summary>
    public double? QuotaUnusedSeconds { get; init; }

    /// <summary>CPU cores this process used while idle just before the fan-out (runtime, emulator, sampler).</summary>
    public required double IdleCpuCores { get; init; }

    /// <summary>The fan-out's CPU minus <see cref="IdleCpuCores"/> over its wall time, per finding: the work that grows with findings.</summary>
    public required double BusyCpuUsPerFinding { get; init; }

    public required double AllocatedBytesPerFinding { get; init; }

    public required double WorkingSetBeforeFanoutMb { get; init; }

    public required double FanoutPeakWorkingSetMb { get; init; }

    public required double PeakWorkingSetMb { get; init; }

    /// <summary>The memory-scaling factor F (<c>--memory-scaling</c>); this and every <c>Scaling*</c> figure are absent without it.</summary>
    public int? ScalingFactor { get; init; }

    /// <summary>Whether the memory-scaling exports kept the real quota.</summary>
    public bool? ScalingPaced { get; init; }

    /// <summary>The memory the GC of a memory-scaling child could use, in MiB: its heap hard limit when one is set, else the machine's.</summary>
    public double? ScalingGcAvailableMb { get; init; }

    /// <summary>Findings per Region at 1x (N) and at F x N.</summary>
    [JsonPropertyName("scaling_findings_per_region_1x")]
    public int? ScalingFindingsPerRegion1x { get; init; }

    [JsonPropertyName("scaling_findings_per_region_nx")]
    public int? ScalingFindingsPerRegionNx { get; init; }

    /// <summary>Findings the child exported at 1x and at F x N (all account-Regions).</summary>
    [JsonPropertyName("scaling_findings_1x")]
    public long? ScalingFindings1x { get; init; }

    [JsonPropertyName("scaling_findings_nx")]
    public long? ScalingFindingsNx { get; init; }

    [JsonPropertyName("scaling_seconds_1x")]
    public double? ScalingSeconds1x { get; init; }

    [JsonPropertyName("scaling_seconds_nx")]
    public double? ScalingSecondsNx { get; init; }

    /// <summary>The largest heap size right after a collection (live objects plus fragmentation) in the child, in MiB.</summary>
    [JsonPropertyName("scaling_peak_heap_mb_1x")]
    public double? ScalingPeakHeapMb1x { get; init; }

    [JsonPropertyName("scaling_peak_heap_mb_nx")]
    public double? ScalingPeakHeapMbNx { get; init; }

    /// <summary>The same after full (gen2) collections only; 0 when the child made none.</summary>
    [JsonPropertyName("scaling_peak_heap_after_gen2_mb_1x")]
    public double? ScalingPeakHeapAfterGen2Mb1x { get; init; }

    [JsonPropertyName("scaling_peak_heap_after_gen2_mb_nx")]
    public double? ScalingPeakHeapAfterGen2MbNx { get; init; }

    /// <summary>The most bytes a full (gen2) collection in the child found alive (garbage excluded), in MiB; 0 when none happened.</summary>
    [JsonPropertyName("scaling_peak_live_mb_1x")]
    public double? ScalingPeakLiveMb1x { get; init; }

    [JsonPropertyName("scaling_peak_live_mb_nx")]
    public double? ScalingPeakLiveMbNx { get; init; }

    /// <summary>The child's CPU time over the export (all threads), in seconds.</summary>
    [JsonPropertyName("scaling_cpu_seconds_1x")]
    public double? ScalingCpuSeconds1x { get; init; }

    [JsonPropertyName("scaling_cpu_seconds_nx")]
    public double? ScalingCpuSecondsNx { get; init; }

    /// <summary>The most memory the child's GC had committed, in MiB.</summary>
    [JsonPropertyName("scaling_peak_committed_mb_1x")]
    public double? ScalingPeakCommittedMb1x { get; init; }

    [JsonPropertyName("scaling_peak_committed_mb_nx")]
    public double? ScalingPeakCommittedMbNx { get; init; }

    /// <summary>The child process's peak working set (VmHWM: runtime and exporter, no emulator), in MiB.</summary>
    [JsonPropertyName("scaling_peak_working_set_mb_1x")]
    public double? ScalingPeakWorkingSetMb1x { get; init; }

    [JsonPropertyName("scaling_peak_working_set_mb_nx")]
    public double? ScalingPeakWorkingSetMbNx { get; init; }

    [JsonPropertyName("scaling_gen2_collections_1x")]
    public int? ScalingGen2Collections1x { get; init; }

    [JsonPropertyName("scaling_gen2_collections_nx")]
    public int? ScalingGen2CollectionsNx { get; init; }

    /// <summary>Peak working set at F x N over peak working set at N: 1 is flat.</summary>
    public double? MemoryGrowthRatio { get; init; }

    /// <summary>Peak heap after a collection at F x N over the same at N: 1 is flat.</summary>
    public double? HeapGrowthRatio { get; init; }
}
