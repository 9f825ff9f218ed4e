using SecHubFanout.Core.Schema;

namespace SecHubFanout.Core.Formats;

/// <summary>Parquet parts: one row per finding, the columns of <see cref="Schema.FindingSchema.Columns"/> in order.</summary>
public sealed class ParquetPartFormat : IPartFormat
{
    private readonly ParquetPartOptions _options;
    private readonly FindingTable _table;

    /// <summary>Creates the format with default options (zstd, row groups of 2,000 rows or 8 MiB of JSON).</summary>
    public ParquetPartFormat()
        : this(new ParquetPartOptions())
    {
    }

    /// <summary>Creates the format with the given options (validated here).</summary>
    public ParquetPartFormat(ParquetPartOptions options)
        : this(options, FindingTable.Asff)
    {
    }

    /// <summary>Creates the format writing the columns of <paramref name="table"/> (ASFF or OCSF).</summary>
    public ParquetPartFormat(ParquetPartOptions options, FindingTable table)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(table);
        options.Validate();
        _options = options;
        _table = table;
    }

    /// <summary>The same format (and options) writing the columns of <paramref name="table"/>.</summary>
    public ParquetPartFormat WithTable(FindingTable table) => new(_options, table);

    /// <summary>The table whose columns the parts hold.</summary>
    public FindingTable Table => _table;

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
        return new ParquetPartEncoder(context, output, _options, _table);
    }
}
