using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Simulation;

namespace SecHubFanout.Cli.Bench;

/// <summary>The <c>bench</c> command's options.</summary>
/// <param name="Accounts">Simulated member accounts.</param>
/// <param name="Regions">Regions per account.</param>
/// <param name="FindingsPerRegion">Findings in every account-Region (N).</param>
/// <param name="LatencyMs">Latency the emulator adds to every call.</param>
/// <param name="BaselinePages">Pages of the baseline stream timed after its burst.</param>
/// <param name="Json">Whether the figures are also printed as one line of JSON.</param>
/// <param name="MemoryScalingFactor">0: no memory-scaling phase; F: also export N and F x N findings per Region, each in a child process.</param>
/// <param name="MemoryScalingPaced">Whether the memory-scaling exports keep the real GetFindings quota (default: off, memory does not need the pacing).</param>
/// <param name="MemoryScalingHeapLimitMb">0: no limit; otherwise the GC heap hard limit of the memory-scaling child processes, in MiB.</param>
/// <param name="MemoryScalingFindings">0: the memory-scaling phase's 1x is <paramref name="FindingsPerRegion"/>; otherwise this many findings per Region.</param>
/// <param name="Api">The API every stream pages: GetFindings (v1, ASFF) or GetFindingsV2 (v2, OCSF), under the same assumed quota.</param>
internal sealed record BenchSettings(
    int Accounts,
    int Regions,
    int FindingsPerRegion,
    int LatencyMs,
    int BaselinePages,
    bool Json,
    int MemoryScalingFactor = 0,
    bool MemoryScalingPaced = false,
    int MemoryScalingHeapLimitMb = 0,
    int MemoryScalingFindings = 0,
    Core.Queries.FindingsApi Api = Core.Queries.FindingsApi.V1)
{
    /// <summary>The memory-scaling phase's findings per Region at 1x.</summary>
    public int MemoryScalingBase => MemoryScalingFindings > 0 ? MemoryScalingFindings : FindingsPerRegion;

    public const int MaxAccounts = 50;

    public const int MaxFindingsPerRegion = 2_000_000;

    /// <summary>Throws <see cref="UsageException"/> for an option out of range.</summary>
    public void Validate()
    {
        if (Accounts is < 1 or > MaxAccounts)
        {
            throw new UsageException($"--accounts {Accounts} is out of range: give 1 to {MaxAccounts}.");
        }

        if (Regions < 1 || Regions > SimulatedOrganization.RegionNames.Count)
        {
            throw new UsageException($"--regions {Regions} is out of range: give 1 to {SimulatedOrganization.RegionNames.Count}.");
        }

        if (FindingsPerRegion is < 1 or > MaxFindingsPerRegion)
        {
            throw new UsageException($"--findings-per-region {FindingsPerRegion} is out of range: give 1 to {MaxFindingsPerRegion:N0}.");
        }

        if (Api == Core.Queries.FindingsApi.V2 && MemoryScalingFactor > 0)
        {
            throw new UsageException("--memory-scaling measures GetFindings (v1) exports only: drop it with --api v2.");
        }

        if (LatencyMs is < 0 or > 10_000)
        {
            throw new UsageException($"--latency-ms {LatencyMs} is out of range: give 0 to 10,000 milliseconds.");
        }

        if (BaselinePages is < 1 or > 10_000)
        {
            throw new UsageException($"--baseline-pages {BaselinePages} is out of range: give 1 to 10,000 pages.");
        }

        if (MemoryScalingFindings is < 0 or > MaxFindingsPerRegion)
        {
            throw new UsageException($"--memory-scaling-findings {MemoryScalingFindings} is out of range: give 1 to {MaxFindingsPerRegion:N0} (or leave it out).");
        }

        if (MemoryScalingFactor != 0 && (MemoryScalingFactor is < 2 or > 100 || (long)MemoryScalingFactor * MemoryScalingBase > MaxFindingsPerRegion))
        {
            throw new UsageException(
                $"--memory-scaling {MemoryScalingFactor} is out of range: give 2 to 100, with the findings per Region (--memory-scaling-findings, else --findings-per-region) " +
                $"x factor at most {MaxFindingsPerRegion:N0} (or leave it out).");
        }

        if (MemoryScalingHeapLimitMb != 0 && MemoryScalingHeapLimitMb is < 64 or > 65_536)
        {
            throw new UsageException($"--memory-scaling-heap-limit-mb {MemoryScalingHeapLimitMb} is out of range: give 64 to 65,536 MiB (or leave it out).");
        }
    }
}
