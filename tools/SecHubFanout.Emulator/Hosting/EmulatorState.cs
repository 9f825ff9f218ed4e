using System.Collections.Concurrent;
using System.Collections.Frozen;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Emulator.Findings;
using SecHubFanout.Emulator.Protocol;

namespace SecHubFanout.Emulator.Hosting;

/// <summary>Everything one emulator instance holds: its findings, quotas, tokens, counters and fault dice.</summary>
internal sealed class EmulatorState
{
    private const double ImportRate = 10;
    private const int ImportBurst = 30;

    private readonly ConcurrentDictionary<(string, string), TokenBucket> _getBuckets = new();
    private readonly ConcurrentDictionary<(string, string), TokenBucket> _getV2Buckets = new();
    private readonly ConcurrentDictionary<(string, string), TokenBucket> _importBuckets = new();
    private readonly Random _dice;
    private readonly Lock _diceLock = new();
    private readonly Lock _indexLock = new();
    private readonly List<(RegionStore Store, ImportedFinding Finding)> _unindexed = [];
    private int _holds;

    public EmulatorState(EmulatorOptions options)
    {
        Options = options;
        Time = options.TimeProvider ?? TimeProvider.System;
        Tokens = new NextTokenCodec(Time, options.TokenLifetime);
        Accounts = options.Accounts.ToFrozenSet(StringComparer.Ordinal);
        EnabledRegions = options.Regions.Except(options.DisabledRegions, StringComparer.Ordinal).ToFrozenSet(StringComparer.Ordinal);
        DeniedRegions = options.DeniedRegions.ToFrozenSet(StringComparer.Ordinal);
        AllRegions = [.. options.Regions.Concat(options.DisabledRegions).Distinct(StringComparer.Ordinal)];
        var now = Time.GetUtcNow();
        Stores = (from account in options.Accounts
                  from region in EnabledRegions
                  select (account, region))
            .ToFrozenDictionary(k => k, k => new RegionStore(new SyntheticFindings(options.Seed, k.account, k.region, options.FindingsPerRegion, now, options.LargeFindingEvery)));
        _dice = new Random(options.Seed);
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public NextTokenCodec Tokens { get; }

    public EmulatorCounters Counters { get; } = new();

    public FrozenSet<string> Accounts { get; }

    public FrozenSet<string> EnabledRegions { get; }

    /// <summary>Regions where every Security Hub call is refused (403 AccessDeniedException), as a denying service control policy does.</summary>
    public FrozenSet<string> DeniedRegions { get; }

    /// <summary>Enabled and disabled Regions, in the order given: what EC2 DescribeRegions lists.</summary>
    public IReadOnlyList<string> AllRegions { get; }

    public FrozenDictionary<(string Account, string Region), RegionStore> Stores { get; }

    public TokenBucket GetFindingsBucket(string account, string region) =>
        _getBuckets.GetOrAdd((account, region), _ => new TokenBucket(Time, Options.GetFindingsRate, Options.GetFindingsBurst));

    /// <summary>GetFindingsV2's own bucket: its quota is undocumented, so it is an option (default GetFindings' rate and burst).</summary>
    public TokenBucket GetFindingsV2Bucket(string account, string region) =>
        _getV2Buckets.GetOrAdd((account, region), _ => new TokenBucket(Time, Options.GetFindingsV2Rate ?? Options.GetFindingsRate, Options.GetFindingsV2Burst ?? Options.GetFindingsBurst));

    public TokenBucket ImportBucket(string account, string region) =>
        _importBuckets.GetOrAdd((account, region), _ => new TokenBucket(Time, ImportRate, ImportBurst));

    /// <summary>
    /// Stores an imported finding: searchable at once, or, while an indexing hold is open, accepted but left out of every query
    /// (which still sees the previous version) until the last hold is released, as Security Hub's eventually consistent index does.
    /// </summary>
    public void Write(RegionStore store, ImportedFinding finding)
    {
        lock (_indexLock)
        {
            if (_holds > 0)
            {
                _unindexed.Add((store, finding));
                return;
            }
        }

        store.Upsert(finding);
    }

    /// <summary>Opens an indexing hold: writes from now on stay unsearchable until every open hold is released.</summary>
    public IDisposable HoldIndexing()
    {
        lock (_indexLock)
        {
            _holds++;
        }

        return new IndexingHold(this);
    }

    private void ReleaseIndexing()
    {
        lock (_indexLock)
        {
            if (--_holds > 0)
            {
                return;
            }

            // In the order written, so the latest write of a finding wins, as it would have without the hold.
            foreach (var (store, finding) in _unindexed)
            {
                store.Upsert(finding);
            }

            _unindexed.Clear();
        }
    }

    private sealed class IndexingHold(EmulatorState state) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                state.ReleaseIndexing();
            }
        }
    }

    /// <summary>One roll of the seeded dice: drop, fault, or serve.</summary>
    public Misbehaviour Roll()
    {
        if (Options.DropRate <= 0 && Options.FaultRate <= 0)
        {
            return Misbehaviour.None;
        }

        double roll;
        lock (_diceLock)
        {
            roll = _dice.NextDouble();
        }

        return roll < Options.DropRate ? Misbehaviour.Drop
            : roll < Options.DropRate + Options.FaultRate ? Misbehaviour.Fault
            : Misbehaviour.None;
    }

    /// <summary>The account an access key stands for (LocalStack convention), or null.</summary>
    public static string? AccountOf(string accessKeyId) =>
        accessKeyId == "test" ? "000000000000"
        : AccountIds.IsValid(accessKeyId) ? accessKeyId
        : null;
}

internal enum Misbehaviour
{
    None,
    Fault,
    Drop,
}
