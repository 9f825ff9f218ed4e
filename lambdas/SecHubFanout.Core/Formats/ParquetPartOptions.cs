namespace SecHubFanout.Core.Formats;

/// <summary>How Parquet parts are written; memory is bounded by one row group, which closes at whichever limit comes first.</summary>
public sealed record ParquetPartOptions
{
    /// <summary>Rows per row group at most (default 2,000).</summary>
    public int RowGroupMaxRows { get; init; } = 2_000;

    /// <summary>Raw finding JSON bytes per row group at most (default 8 MiB), so that large findings keep memory bounded too.</summary>
    public long RowGroupMaxBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>The column compression (default <see cref="ParquetCompression.Zstd"/>: about 4x smaller than snappy and no more CPU, see bench/README.md).</summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Zstd;

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RowGroupMaxRows, 1, nameof(RowGroupMaxRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(RowGroupMaxBytes, 1, nameof(RowGroupMaxBytes));
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentOutOfRangeException(nameof(Compression), Compression, "unknown Parquet compression");
        }
    }
}
