using System.Globalization;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli.Demo;

/// <summary>The <c>demo</c> command's options.</summary>
internal sealed record DemoSettings(string Out, int Accounts, int Regions, int FindingsPerRegion)
{
    public const int MaxAccounts = 50;

    /// <summary>The Regions the simulated organization uses, in order.</summary>
    public static IReadOnlyList<string> RegionNames { get; } =
        ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1", "ap-northeast-1", "ca-central-1", "sa-east-1"];

    /// <summary>The simulated accounts: 111111111101, 111111111102, ...</summary>
    public IReadOnlyList<string> AccountIds => [.. Enumerable.Range(1, Accounts).Select(i => (111_111_111_100L + i).ToString(CultureInfo.InvariantCulture))];

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
