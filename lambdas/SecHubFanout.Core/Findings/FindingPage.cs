namespace SecHubFanout.Core.Findings;

/// <summary>One page of findings exactly as the service returned them, plus the token of the next page (null on the last page).</summary>
/// <remarks>
/// A source may lend the findings' bytes from a pooled buffer (<see cref="MemoryOwner"/>): they stay valid until the page is
/// disposed and not a moment longer, so whoever takes a page disposes it once it no longer reads <see cref="Findings"/> (the engine
/// does so after the page is encoded). A page that is never disposed is safe: its buffer is then simply collected, not reused.
/// </remarks>
/// <param name="Findings">Each finding's raw UTF-8 JSON bytes, untouched (slices of the response body).</param>
/// <param name="NextToken">The token of the next page, or null when this was the last one.</param>
public sealed record FindingPage(IReadOnlyList<ReadOnlyMemory<byte>> Findings, string? NextToken) : IDisposable
{
    /// <summary>Creates a page whose findings are slices of memory owned by <paramref name="memoryOwner"/>, released when the page is disposed.</summary>
    public FindingPage(IReadOnlyList<ReadOnlyMemory<byte>> findings, string? nextToken, IDisposable? memoryOwner)
        : this(findings, nextToken)
    {
        MemoryOwner = memoryOwner;
    }

    /// <summary>What owns the memory behind <see cref="Findings"/> (null when it is ordinary garbage-collected memory).</summary>
    public IDisposable? MemoryOwner { get; }

    /// <summary>Releases the memory behind <see cref="Findings"/>; after this the slices must not be read.</summary>
    public void Dispose() => MemoryOwner?.Dispose();
}
