using System.IO.Compression;

namespace SecHubFanout.Core.Formats;

/// <summary>JSON Lines, gzipped: one finding per line, exactly the bytes Security Hub returned.</summary>
public sealed class JsonlGzPartFormat : IPartFormat
{
    private readonly CompressionLevel _level;

    /// <summary>Creates the format with <see cref="CompressionLevel.Fastest"/> gzip.</summary>
    public JsonlGzPartFormat()
        : this(CompressionLevel.Fastest)
    {
    }

    /// <summary>Creates the format with the given gzip level.</summary>
    public JsonlGzPartFormat(CompressionLevel level)
    {
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "unknown compression level");
        }

        _level = level;
    }

    /// <inheritdoc/>
    public string Name => "jsonl";

    /// <inheritdoc/>
    public string Extension => ".jsonl.gz";

    /// <inheritdoc/>
    public string ContentType => "application/gzip";

    /// <inheritdoc/>
    public IPartEncoder CreateEncoder(PartContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        return new JsonlGzPartEncoder(output, _level);
    }
}
