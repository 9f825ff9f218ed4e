using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Simulation;

namespace SecHubFanout.Cli.Demo;

/// <summary>The <c>demo</c> command's options.</summary>
internal sealed record DemoSettings(string Out, int Accounts, int Regions, int FindingsPerRegion)
{
    public const int MaxAccounts = 50;

    public static IReadOnlyList<string> RegionNames => SimulatedOrganization.RegionNames;

    /// <summary>The simulated accounts: 111111111101, 111111111102, ...</summary>
    public IReadOnlyList<string> AccountIds => SimulatedOrganization.AccountIds(Accounts);

    public IReadOnlyList<string> RegionList => [.. RegionNames.Take(Regions)];

    /// <summary>Throws <see cref="UsageException"/> for an option out of range.</summary>
    public void Validate()
    {
        if (Accounts is < 1 or > MaxAccounts)
        {
            throw new UsageException($"--accounts {Accounts} is out of range: give 1 to {MaxAccounts}.");
        }

        if (Regions < 1 || Regions > RegionNames.Count)
        {
            throw new UsageException($"--regions {Regions} is out of range: give 1 to {RegionNames.Count}.");
        }

        if (FindingsPerRegion is < 0 or > 1_000_000)
        {
            throw new UsageException($"--findings-per-region {FindingsPerRegion} is out of range: give 0 to 1,000,000.");
        }
    }
}
