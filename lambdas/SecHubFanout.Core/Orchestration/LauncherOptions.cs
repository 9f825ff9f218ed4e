namespace SecHubFanout.Core.Orchestration;

/// <summary>How the launcher starts accounts.</summary>
public sealed record LauncherOptions
{
    /// <summary>Accounts started at the same time. Default 10.</summary>
    public int MaxConcurrency { get; init; } = 10;

    /// <summary>
    /// Accounts started per second, at most. Each start assumes one role, and STS allows 600 requests/s per account and Region
    /// for the caller's whole account, so the default 100 leaves most of it to everything else. Default 100.
    /// </summary>
    public int AccountsPerSecond { get; init; } = 100;

    /// <summary>Regions exported when a request names none. Default: none, so each account exports the Regions enabled in it.</summary>
    public IReadOnlyList<string> DefaultRegions { get; init; } = [];

    /// <summary>Accounts launched besides the directory's (the central account, which service-managed StackSets never deploy to). Default none.</summary>
    public IReadOnlyList<string> AlsoLaunch { get; init; } = [];

    /// <summary>Partition keys a new export's ledger items are spread over. Default 32.</summary>
    public int Shards { get; init; } = 32;
}
