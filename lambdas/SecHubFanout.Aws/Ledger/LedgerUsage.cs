namespace SecHubFanout.Aws.Ledger;

/// <summary>Items a ledger read and wrote, counted as DynamoDB bills them (every item returned or written), thread-safe.</summary>
public sealed class LedgerUsage
{
    private long _itemsRead;
    private long _itemsWritten;

    /// <summary>Items returned by gets, queries and updates that return values.</summary>
    public long ItemsRead => Interlocked.Read(ref _itemsRead);

    /// <summary>Items put, updated or deleted.</summary>
    public long ItemsWritten => Interlocked.Read(ref _itemsWritten);

    internal void AddRead(long items) => Interlocked.Add(ref _itemsRead, items);

    internal void AddWrite(long items) => Interlocked.Add(ref _itemsWritten, items);
}
