namespace SecHubFanout.Core.Parts;

/// <summary>Spools parts to temporary files deleted on close, so memory stays bounded however large a part grows.</summary>
public sealed class TempFileSpool : IPartSpool
{
    private readonly string _directory;

    /// <summary>Spools into <paramref name="directory"/> (default: the system temp directory, <c>/tmp</c> on Lambda).</summary>
    public TempFileSpool(string? directory = null)
    {
        _directory = directory ?? Path.GetTempPath();
    }

    /// <inheritdoc/>
    public Stream Open() => new FileStream(
        Path.Combine(_directory, $"sechub-part-{Guid.NewGuid():N}.tmp"),
        FileMode.CreateNew,
        FileAccess.ReadWrite,
        FileShare.None,
        bufferSize: 81920,
        FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
