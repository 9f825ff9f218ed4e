using System.Collections.Concurrent;

namespace SecHubFanout.Emulator;

/// <summary>What the emulator has seen, per (account, Region) and in total; Security Hub calls only (not STS or EC2).</summary>
public sealed class EmulatorCounters
{
    private readonly ConcurrentDictionary<(string Account, string Region), Cell> _cells = new();

    /// <summary>The counts of one account and Region (zeros when it was never called).</summary>
    public RegionCounters For(string accountId, string region) =>
        _cells.TryGetValue((accountId, region), out var cell) ? cell.Snapshot(accountId, region) : new RegionCounters(accountId, region, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Every account and Region that was called.</summary>
    public IReadOnlyList<RegionCounters> All => [.. _cells.Select(kv => kv.Value.Snapshot(kv.Key.Account, kv.Key.Region)).OrderBy(c => c.AccountId, StringComparer.Ordinal).ThenBy(c => c.Region, StringComparer.Ordinal)];

    /// <summary>The sum over all accounts and Regions (AccountId and Region are "*").</summary>
    public RegionCounters Totals
    {
        get
        {
            var all = All;
            return new RegionCounters(
                "*",
                "*",
                all.Sum(c => c.Requests),
                all.Sum(c => c.Throttles),
                all.Sum(c => c.Pages),
                all.Sum(c => c.FindingsServed),
                all.Sum(c => c.Faults),
                all.Sum(c => c.Drops),
                all.Sum(c => c.FindingsImported));
        }
    }

    internal Cell Of(string accountId, string region) => _cells.GetOrAdd((accountId, region), static _ => new Cell());

    internal sealed class Cell
    {
        private long _requests;
        private long _throttles;
        private long _pages;
        private long _findingsServed;
        private long _faults;
        private long _drops;
        private long _imported;

        public void Request() => Interlocked.Increment(ref _requests);

        public void Throttle() => Interlocked.Increment(ref _throttles);

        public void Fault() => Interlocked.Increment(ref _faults);

        public void Drop() => Interlocked.Increment(ref _drops);

        public void Page(int findings)
        {
            Interlocked.Increment(ref _pages);
            Interlocked.Add(ref _findingsServed, findings);
        }

        public void Imported(int findings) => Interlocked.Add(ref _imported, findings);

        public RegionCounters Snapshot(string accountId, string region) => new(
            accountId,
            region,
            Interlocked.Read(ref _requests),
            Interlocked.Read(ref _throttles),
            Interlocked.Read(ref _pages),
            Interlocked.Read(ref _findingsServed),
            Interlocked.Read(ref _faults),
            Interlocked.Read(ref _drops),
            Interlocked.Read(ref _imported));
    }
}
