namespace SecHubFanout.Core.Schema;

/// <summary>The logical types of export columns, mapped to Parquet, Glue/Athena and DuckDB types by each consumer.</summary>
public enum ColumnType
{
    /// <summary>UTF-8 text (Parquet BYTE_ARRAY/STRING, Athena <c>string</c>, DuckDB <c>VARCHAR</c>).</summary>
    String,

    /// <summary>32-bit integer (Athena <c>int</c>, DuckDB <c>INTEGER</c>).</summary>
    Int,

    /// <summary>UTC instant with millisecond precision (Parquet INT64 TIMESTAMP(MILLIS, UTC), Athena <c>timestamp</c>, DuckDB <c>TIMESTAMP WITH TIME ZONE</c>).</summary>
    Timestamp,

    /// <summary>List of strings (Parquet LIST of STRING, Athena <c>array&lt;string&gt;</c>, DuckDB <c>VARCHAR[]</c>).</summary>
    StringList,
}
