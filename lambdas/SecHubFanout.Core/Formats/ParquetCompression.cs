namespace SecHubFanout.Core.Formats;

/// <summary>The column compressions offered for Parquet parts (all read by Athena and DuckDB).</summary>
public enum ParquetCompression
{
    /// <summary>Snappy: fastest to write, the default.</summary>
    Snappy,

    /// <summary>Zstandard: smaller files (finding JSON compresses much better), more CPU per finding.</summary>
    Zstd,

    /// <summary>No compression.</summary>
    None,
}
