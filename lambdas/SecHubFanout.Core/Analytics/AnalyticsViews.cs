using System.Reflection;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Core.Analytics;

/// <summary>
/// The one catalogue of analytics views (SQL in embedded <c>Sql/*.sql</c> files, Athena dialect), used by the CDK for Athena
/// named queries and by <c>sechub-fanout query</c>/<c>report</c> for local DuckDB views.
/// </summary>
public static class AnalyticsViews
{
    private const string ResourcePrefix = "SecHubFanout.Core.Analytics.Sql.";

    // Order matters only for readers: every view is self-contained ({latest} is inlined), so Athena named queries run in any order.
    private static readonly string[] _names = ["findings_latest", "findings_hourly", "top_failing_controls", "findings_by_account_region"];

    // The same four views over the OCSF table findings_ocsf: latest version, severity over time, failing controls, accounts/Regions.
    private static readonly string[] _ocsfNames = ["findings_ocsf_latest", "findings_ocsf_hourly", "findings_ocsf_failing_controls", "findings_ocsf_by_account_region"];

    /// <summary>
    /// The columns of the findings table as Athena (Glue) and the local <c>findings</c> view have them, in order: the file columns
    /// except <c>export_id</c>, then the partition keys (<c>export_id</c> is a partition key; a table may not declare it twice).
    /// </summary>
    public static IReadOnlyList<ColumnDefinition> TableColumns => FindingTable.Asff.TableColumns;

    /// <summary>Every view over the ASFF table: findings_latest, findings_hourly, top_failing_controls, findings_by_account_region.</summary>
    public static IReadOnlyList<AnalyticsView> All { get; } = [.. _names.Select(n => Load(n, FindingTable.Asff))];

    /// <summary>Every view over the OCSF table: findings_ocsf_latest, findings_ocsf_hourly, findings_ocsf_failing_controls, findings_ocsf_by_account_region.</summary>
    public static IReadOnlyList<AnalyticsView> Ocsf { get; } = [.. _ocsfNames.Select(n => Load(n, FindingTable.Ocsf))];

    /// <summary>The views over <paramref name="table"/>.</summary>
    public static IReadOnlyList<AnalyticsView> For(FindingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Api == Queries.FindingsApi.V2 ? Ocsf : All;
    }

    /// <summary>The view named <paramref name="name"/>.</summary>
    public static AnalyticsView Get(string name) =>
        All.Concat(Ocsf).FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"No analytics view '{name}'; known: {string.Join(", ", _names.Concat(_ocsfNames))}.", nameof(name));

    /// <summary>Fills a template's placeholders: {table}, {columns} (the table columns), {latest} (the table's latest-version view as a subquery).</summary>
    internal static string Expand(string template, string table) => Expand(template, table, FindingTable.Asff);

    /// <summary>Fills a template's placeholders for a view over <paramref name="findingTable"/>.</summary>
    internal static string Expand(string template, string table, FindingTable findingTable)
    {
        var sql = template;
        if (sql.Contains("{latest}", StringComparison.Ordinal))
        {
            // Inlined rather than referenced by name so each Athena view stands alone and needs no creation order.
            var latest = For(findingTable)[0];
            sql = sql.Replace("{latest}", "(\n" + Expand(latest.Template, table, findingTable) + "\n)", StringComparison.Ordinal);
        }

        return sql
            .Replace("{columns}", string.Join(", ", findingTable.TableColumns.Select(c => c.Name)), StringComparison.Ordinal)
            .Replace("{table}", table, StringComparison.Ordinal);
    }

    private static AnalyticsView Load(string name, FindingTable table)
    {
        using var stream = typeof(AnalyticsViews).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".sql")
            ?? throw new InvalidOperationException($"Embedded view SQL '{name}.sql' is missing from {typeof(AnalyticsViews).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().ReplaceLineEndings("\n").TrimEnd().Split('\n');

        // The leading comment is the description; the rest is the SELECT.
        var header = lines.TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)).ToList();
        var description = string.Join(' ', header.Select(l => l[2..].Trim()));
        var body = string.Join('\n', lines.Skip(header.Count)).Trim();
        return new AnalyticsView(name, description, body) { Table = table };
    }
}
