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

    /// <summary>
    /// Accounts per partition key of a new export's ledger items: an export of A accounts gets ceil(A / this) shards, at most
    /// <see cref="MaxShards"/>. Default 250 (10,000 accounts x 17 Regions: 40 shards of about 4,500 items).
    /// </summary>
    public int AccountsPerShard { get; init; } = 250;

    /// <summary>The most partition keys an export is spread over (each finished shard reads every shard's counter once). Default 64.</summary>
    public int MaxShards { get; init; } = 64;

    /// <summary>The shards of a new export of <paramref name="accounts"/> accounts.</summary>
    public int ShardsFor(int accounts) => Math.Clamp((accounts + AccountsPerShard - 1) / AccountsPerShard, 1, MaxShards);
}
