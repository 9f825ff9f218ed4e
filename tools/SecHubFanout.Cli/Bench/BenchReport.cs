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

    /// <summary>CPU cores this process used while idle just before the fan-out (runtime, emulator, sampler).</summary>
    public required double IdleCpuCores { get; init; }

    /// <summary>The fan-out's CPU minus <see cref="IdleCpuCores"/> over its wall time, per finding: the work that grows with findings.</summary>
    public required double BusyCpuUsPerFinding { get; init; }

    public required double AllocatedBytesPerFinding { get; init; }

    public required double WorkingSetBeforeFanoutMb { get; init; }

    public required double FanoutPeakWorkingSetMb { get; init; }

    public required double PeakWorkingSetMb { get; init; }
}
