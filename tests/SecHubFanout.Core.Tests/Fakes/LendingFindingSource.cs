using SecHubFanout.Core.Findings;

namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>
/// Wraps a source and lends each page's findings from one buffer owned by the page, as the Security Hub source does with pooled
/// response bodies. Disposing a page overwrites its buffer, so a reader that used the bytes after the page was disposed would see
/// garbage; it counts pages handed out and disposed.
/// </summary>
internal sealed class LendingFindingSource(IFindingSource inner) : IFindingSource
{
    private int _pages;
    private int _disposed;

    public int Pages => Volatile.Read(ref _pages);

    public int Disposed => Volatile.Read(ref _disposed);

    public async Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken)
    {
        var page = await inner.GetFindingsAsync(request, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[page.Findings.Sum(f => f.Length)];
        var slices = new List<ReadOnlyMemory<byte>>(page.Findings.Count);
        var offset = 0;
        foreach (var finding in page.Findings)
        {
            finding.CopyTo(buffer.AsMemory(offset));
            slices.Add(buffer.AsMemory(offset, finding.Length));
            offset += finding.Length;
        }

        Interlocked.Increment(ref _pages);
        return new FindingPage(slices, page.NextToken, new PoisonOnDispose(buffer, this));
    }

    private sealed class PoisonOnDispose(byte[] buffer, LendingFindingSource owner) : IDisposable
    {
        public void Dispose()
        {
            buffer.AsSpan().Fill((byte)'#');
            Interlocked.Increment(ref owner._disposed);
        }
    }
}
