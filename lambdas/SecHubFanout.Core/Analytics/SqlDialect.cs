namespace SecHubFanout.Core.Analytics;

/// <summary>The SQL engines the analytics views are rendered for.</summary>
public enum SqlDialect
{
    /// <summary>Amazon Athena (engine version 3, Trino): the dialect the view templates are written in.</summary>
    Athena,

    /// <summary>DuckDB, for local queries over the exported Parquet.</summary>
    DuckDb,
}
