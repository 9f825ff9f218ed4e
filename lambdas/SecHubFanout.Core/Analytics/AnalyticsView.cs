using System.Text.RegularExpressions;

namespace SecHubFanout.Core.Analytics;

/// <summary>One named analytics view over the findings table, rendered for Athena (named query) or DuckDB (local view).</summary>
/// <param name="Name">The view's name (also the Athena named query's name), lower snake_case.</param>
/// <param name="Description">What the view shows, from the leading comment of its SQL file.</param>
/// <param name="Template">The view's SELECT in the Athena dialect, with the placeholders <c>{table}</c>, <c>{columns}</c> and <c>{latest}</c>.</param>
public sealed partial record AnalyticsView(string Name, string Description, string Template)
{
    /// <summary>The exported table the view reads (its columns fill <c>{columns}</c>). Default the ASFF table <c>findings</c>.</summary>
    public Schema.FindingTable Table { get; init; } = Schema.FindingTable.Asff;

    /// <summary>The view's SELECT for <paramref name="dialect"/>, reading from <paramref name="table"/> (an already quoted, possibly qualified name).</summary>
    public string Select(SqlDialect dialect, string table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        var sql = AnalyticsViews.Expand(Template, table, Table);
        return dialect == SqlDialect.DuckDb ? DuckDbTranslation.Translate(sql) : sql;
    }

    /// <summary>
    /// The Athena statement that creates this view in <paramref name="database"/> over the findings table <paramref name="table"/>
    /// (plain Glue names: lower-case letters, digits, underscores), for an Athena named query.
    /// </summary>
    public string AthenaSql(string database, string table)
    {
        var db = Identifier(database, nameof(database));
        var tbl = Identifier(table, nameof(table));
        return $"CREATE OR REPLACE VIEW \"{db}\".\"{Name}\" AS\n{Select(SqlDialect.Athena, $"\"{db}\".\"{tbl}\"")}";
    }

    /// <summary>The DuckDB statement that creates this view over the local findings view or table <paramref name="table"/> (default <c>findings</c>).</summary>
    public string DuckDbSql(string table = "findings")
    {
        var tbl = Identifier(table, nameof(table));
        return $"CREATE OR REPLACE VIEW \"{Name}\" AS\n{Select(SqlDialect.DuckDb, $"\"{tbl}\"")}";
    }

    // Glue lower-cases names and Athena allows only these characters; refusing anything else keeps the names safe to splice.
    private static string Identifier(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
        if (!IdentifierPattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a plain Glue/Athena name: use lower-case letters, digits and underscores only (at most 255).", parameter);
        }

        return name;
    }

    [GeneratedRegex("^[a-z0-9_]{1,255}$")]
    private static partial Regex IdentifierPattern();
}
