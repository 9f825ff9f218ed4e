namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>What <c>sechub-fanout bench org</c> simulates, checked before anything starts.</summary>
/// <param name="Accounts">Member accounts.</param>
/// <param name="Regions">Regions per account (each its own Region result).</param>
/// <param name="Json">Also print the figures as one JSON line.</param>
/// <param name="DynamoDbEndpoint">A DynamoDB endpoint to use; null starts dynalite from the repository's test tools.</param>
/// <param name="LatencyMs">Latency of every simulated member call (AssumeRole, DescribeRegions, StartExecution).</param>
/// <param name="LauncherBudgetSeconds">How long one launcher invocation may launch before it hands on to a continuation.</param>
/// <param name="Seed">Seed of the simulated organization's faults and delivery order.</param>
internal sealed record OrgBenchSettings(int Accounts, int Regions, bool Json, Uri? DynamoDbEndpoint, int LatencyMs = 50, int LauncherBudgetSeconds = 60, int Seed = 42)
{
    /// <summary>The most accounts the benchmark simulates.</summary>
    public const int MaxAccounts = 20_000;

    /// <summary>Real Region names, in the order accounts get them.</summary>
    public static IReadOnlyList<string> RegionNames { get; } =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
        "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "sa-east-1",
    ];

    /// <summary>Says what is wrong, if anything.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Accounts is < 1 or > MaxAccounts)
        {
            problems.Add($"--accounts {Accounts} is out of range: use 1 to {MaxAccounts}");
        }

        if (Regions < 1 || Regions > RegionNames.Count)
        {
            problems.Add($"--regions {Regions} is out of range: use 1 to {RegionNames.Count}");
        }

        if (LatencyMs is < 0 or > 10_000)
        {
            problems.Add($"--latency-ms {LatencyMs} is out of range: use 0 to 10000");
        }

        if (LauncherBudgetSeconds is < 1 or > 900)
        {
            problems.Add($"--launcher-budget-seconds {LauncherBudgetSeconds} is out of range: use 1 to 900 (a Lambda function runs at most 15 minutes)");
        }

        return problems;
    }
}
