namespace SecHubFanout.Core.Formats;

/// <summary>The column compressions offered for Parquet parts (all read by Athena and DuckDB).</summary>
public enum ParquetCompression
{
    /// <summary>Snappy: the most widely read codec.</summary>
    Snappy,

    /// <summary>Zstandard at its default level: the default, much smaller files (finding JSON compresses well) for about the CPU of snappy.</summary>
    Zstd,

    /// <summary>No compression.</summary>
    None,
}
