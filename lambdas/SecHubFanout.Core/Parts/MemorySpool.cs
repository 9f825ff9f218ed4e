namespace SecHubFanout.Core.Parts;

/// <summary>Spools parts in memory: for tests and small parts only.</summary>
public sealed class MemorySpool : IPartSpool
{
    /// <inheritdoc/>
    public Stream Open() => new MemoryStream();
}
