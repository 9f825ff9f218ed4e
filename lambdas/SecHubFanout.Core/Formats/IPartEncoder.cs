namespace SecHubFanout.Core.Formats;

/// <summary>Encodes one part, finding by finding, with memory bounded by a row-group's worth of findings, not by the part.</summary>
public interface IPartEncoder : IAsyncDisposable
{
    /// <summary>How many findings were added.</summary>
    int Count { get; }

    /// <summary>Adds one finding's raw JSON (the bytes are copied or encoded before this returns; the caller may reuse them).</summary>
    ValueTask AddAsync(ReadOnlyMemory<byte> finding, CancellationToken cancellationToken);

    /// <summary>Writes everything still buffered and the format's footer; the output then holds a complete, valid file.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
