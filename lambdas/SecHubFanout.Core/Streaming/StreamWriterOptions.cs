using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Core.Streaming;

/// <summary>How <see cref="StreamBatchWriter"/> writes; validated when the writer is created.</summary>
public sealed record StreamWriterOptions
{
    /// <summary>
    /// The account whose own buses deliver the stream (the central account, required). Its events may carry any account's finding (the
    /// administrator receives its members'); an event from any other account (forwarded by a member) only that account's own findings.
    /// </summary>
    public required string OwnAccountId { get; init; }

    /// <summary>Parts (one per account, Region and hour in a batch) stored at the same time at most. Default 8.</summary>
    public int MaxParallelParts { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (!AccountIds.IsValid(OwnAccountId))
        {
            throw new ArgumentException($"Own account '{OwnAccountId}' is not a 12-digit AWS account ID.", nameof(OwnAccountId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelParts, 1, nameof(MaxParallelParts));
    }
}
