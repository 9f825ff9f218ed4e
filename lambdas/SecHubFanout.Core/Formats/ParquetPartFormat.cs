namespace SecHubFanout.Core.Formats;

/// <summary>Parquet parts: one row per finding, the columns of <see cref="Schema.FindingSchema.Columns"/> in order.</summary>
public sealed class ParquetPartFormat : IPartFormat
{
    private readonly ParquetPartOptions _options;

    /// <summary>Creates the format with default options (zstd, row groups of 2,000 rows or 8 MiB of JSON).</summary>
    public ParquetPartFormat()
        : this(new ParquetPartOptions())
    {
    }

    /// <summary>Creates the format with the given options (validated here).</summary>
    public ParquetPartFormat(ParquetPartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <inheritdoc/>
    public string Name => "parquet";

    /// <inheritdoc/>
    public string Extension => ".parquet";

    /// <inheritdoc/>
    public string ContentType => "application/vnd.apache.parquet";

    /// <inheritdoc/>
    public IPartEncoder CreateEncoder(PartContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        return new ParquetPartEncoder(context, output, _options);
    }
}
