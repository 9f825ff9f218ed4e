namespace SecHubFanout.Cli.Analytics;

/// <summary>A column of a query result: its name and DuckDB type name (as DuckDB.NET reports it, e.g. <c>TimestampTz</c>).</summary>
internal sealed record QueryColumn(string Name, string TypeName);

/// <summary>The rows a query returned, values as DuckDB.NET gives them (null for SQL NULL).</summary>
internal sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows);
