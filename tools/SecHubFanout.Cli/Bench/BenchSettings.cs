using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Simulation;

namespace SecHubFanout.Cli.Bench;

/// <summary>The <c>bench</c> command's options.</summary>
internal sealed record BenchSettings(int Accounts, int Regions, int FindingsPerRegion, int LatencyMs, int BaselinePages, bool Json)
{
    public const int MaxAccounts = 50;

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

        if (FindingsPerRegion is < 1 or > 2_000_000)
        {
            throw new UsageException($"--findings-per-region {FindingsPerRegion} is out of range: give 1 to 2,000,000.");
        }

        if (LatencyMs is < 0 or > 10_000)
        {
            throw new UsageException($"--latency-ms {LatencyMs} is out of range: give 0 to 10,000 milliseconds.");
        }

        if (BaselinePages is < 1 or > 10_000)
        {
            throw new UsageException($"--baseline-pages {BaselinePages} is out of range: give 1 to 10,000 pages.");
        }
    }
}
