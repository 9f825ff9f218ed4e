using System.Globalization;
using System.Text;
using static SecHubFanout.Cli.Analytics.SvgCharts;

namespace SecHubFanout.Cli.Analytics;

/// <summary>
/// Builds the one-file HTML report (inline CSS and SVG, no scripts, no external resources) from the named views, so the
/// report shows what the Athena views show. Every value from findings is HTML-escaped.
/// </summary>
internal static class ReportBuilder
{
    private static readonly (string Label, string Color)[] _severities =
    [
        ("CRITICAL", "#7b1fa2"), ("HIGH", "#d32f2f"), ("MEDIUM", "#f57c00"), ("LOW", "#fbc02d"), ("INFORMATIONAL", "#1976d2"),
    ];

    private static readonly Dictionary<string, string> _complianceColors = new(StringComparer.Ordinal)
    {
        ["FAILED"] = "#d32f2f", ["PASSED"] = "#388e3c", ["WARNING"] = "#f57c00", ["NOT_AVAILABLE"] = "#757575", ["(none)"] = "#9e9e9e",
        ["Fail"] = "#d32f2f", ["Pass"] = "#388e3c", ["Warning"] = "#f57c00", ["Unknown"] = "#757575",
    };

    public static string Build(FindingsDatabase database, DateTimeOffset generatedAt) => Build(database, ReportSource.Asff, generatedAt);

    /// <summary>The report over the table and views of <paramref name="source"/>.</summary>
    public static string Build(FindingsDatabase database, ReportSource source, DateTimeOffset generatedAt)
    {
        var table = source.Table.Name;
        var totals = database.Query($"""
            SELECT count(*) AS rows_exported,
                   (SELECT count(*) FROM {source.Latest}) AS findings,
                   count(DISTINCT account_id) AS accounts,
                   count(DISTINCT region) AS regions,
                   min({source.Time}) AS first_update,
                   max({source.Time}) AS last_update
            FROM {table}
            """).Rows[0];
        var exports = database.Query($"""
            SELECT export_id, min(export_date) AS export_date, min(exported_at) AS exported_at, count(*) AS rows_exported,
                   count(DISTINCT account_id) AS accounts, count(DISTINCT region) AS regions
            FROM {table} GROUP BY export_id ORDER BY min(exported_at), export_id
            """);
        var bucket = totals[4] is { } firstUpdate && totals[5] is { } lastUpdate ? TimeBucket.For(Utc(firstUpdate), Utc(lastUpdate)) : TimeBucket.Hour;
        var trend = database.Query($"""
            SELECT date_trunc('{bucket.Unit}', hour) AS bucket, {source.Severity} AS severity_label, CAST(sum(findings) AS BIGINT) AS findings
            FROM {source.Hourly} GROUP BY ALL ORDER BY bucket
            """);

        // New: the week a finding was first observed (else created); resolved: the week of the update that resolved or archived it.
        // The weekly chart reads ASFF workflow columns; the OCSF table has no such pair, so its report leaves the chart out.
        var weekly = source != ReportSource.Asff ? null : database.Query("""
            WITH latest AS (SELECT * FROM findings_latest),
            opened AS (
                SELECT date_trunc('week', coalesce(first_observed_at, created_at)) AS week, count(*) AS findings
                FROM latest WHERE coalesce(first_observed_at, created_at) IS NOT NULL GROUP BY ALL),
            resolved AS (
                SELECT date_trunc('week', updated_at) AS week, count(*) AS findings
                FROM latest WHERE (workflow_status = 'RESOLVED' OR record_state = 'ARCHIVED') AND updated_at IS NOT NULL GROUP BY ALL)
            SELECT coalesce(opened.week, resolved.week) AS week, CAST(coalesce(opened.findings, 0) AS BIGINT) AS new,
                   CAST(coalesce(resolved.findings, 0) AS BIGINT) AS resolved
            FROM opened FULL OUTER JOIN resolved ON opened.week = resolved.week
            ORDER BY week
            """);
        var compliance = database.Query($"""
            SELECT coalesce(compliance_status, '(none)') AS compliance_status, count(*) AS findings
            FROM {source.Latest} GROUP BY ALL ORDER BY findings DESC, compliance_status
            """);
        var controls = database.Query($"SELECT * FROM {source.Controls} ORDER BY rank LIMIT 15");
        var accounts = database.Query($"SELECT * FROM {source.Accounts} ORDER BY account_id, region");

        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Security Hub findings report</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;max-width:1000px;color:#212121;padding:0 16px}
            h1{font-size:1.6em;margin-bottom:4px}h2{font-size:1.2em;margin-top:32px;border-bottom:1px solid #e0e0e0;padding-bottom:4px}
            .muted{color:#616161;font-size:.9em}
            .cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
            .card{border:1px solid #e0e0e0;border-radius:8px;padding:10px 16px;min-width:120px}
            .card b{display:block;font-size:1.6em}
            table{border-collapse:collapse;width:100%;font-size:.9em}
            th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left}th{background:#fafafa}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n,td.t{white-space:nowrap}
            svg.chart{width:100%;height:auto;font-size:12px}
            svg .grid{stroke:#eee}svg .axis{stroke:#9e9e9e}svg text{fill:#424242}
            </style></head><body>
            <h1>Security Hub findings report</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\" id=\"table\">Table {Html(table)} ({(source.Table.Api == Core.Queries.FindingsApi.V2 ? "OCSF findings of GetFindingsV2" : "ASFF findings of GetFindings")}).</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Generated {Html(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC by sechub-fanout report. Updates from {Html(ValueText.Format(totals[4]))} to {Html(ValueText.Format(totals[5]))} UTC.</p>");
        html.Append("<div class=\"cards\" id=\"totals\">");
        Card(html, "findings (latest versions)", totals[1]);
        Card(html, "rows exported", totals[0]);
        Card(html, "accounts", totals[2]);
        Card(html, "Regions", totals[3]);
        Card(html, "exports", exports.Rows.Count);
        html.Append("</div>");

        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"trend\">Findings per {bucket.Unit} by severity</h2><p class=\"muted\">Finding versions by the {bucket.Unit} of their last update (view {source.Hourly}, summed per {bucket.Unit}: the step follows the range).</p>");
        html.Append(TrendChart(trend, bucket));

        if (weekly is not null)
        {
            html.Append("<h2 id=\"new-resolved\">New and resolved findings per week</h2><p class=\"muted\">Latest version of each finding (view findings_latest): new in the week it was first observed, resolved in the week of the update that resolved or archived it. Weeks start on Monday (UTC).</p>");
            html.Append(WeeklyChart(weekly));
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Compliance status</h2><p class=\"muted\">Latest version of each finding (view {source.Latest}).</p>");
        html.Append(Bars(
            [.. compliance.Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1], CultureInfo.InvariantCulture), _complianceColors.GetValueOrDefault((string)r[0]!, "#5c6bc0")))],
            "Compliance status"));

        html.Append(CultureInfo.InvariantCulture, $"<h2>Top failing controls</h2><p class=\"muted\">Distinct resources failing each security control, active and not suppressed (view {source.Controls}).</p>");
        if (controls.Rows.Count == 0)
        {
            html.Append("<p>No failing controls.</p>");
        }
        else
        {
            html.Append(Bars(
                [.. controls.Rows.Select(r => ($"{r[1]} {r[2]}", Convert.ToInt64(r[3], CultureInfo.InvariantCulture), "#d32f2f"))],
                "Top failing controls"));
            Table(html, "controls", controls, source.ControlColumns);
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Accounts and Regions</h2><p class=\"muted\">Latest version of each finding (view {source.Accounts}).</p>");
        Table(html, "accounts", accounts, source.AccountColumns);

        html.Append("<h2>Exports covered</h2>");
        Table(html, "exports", exports, ["export_id", "export_date", "exported_at", "rows_exported", "accounts", "regions"]);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string TrendChart(QueryResult trend, TimeBucket bucket)
    {
        var points = trend.Rows.Where(r => r[0] is not null).Select(r => (Start: Utc(r[0]!), Severity: r[1] as string, Count: Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList();
        if (points.Count == 0)
        {
            return "<p>No findings.</p>";
        }

        var starts = bucket.Span(points.Min(p => p.Start), points.Max(p => p.Start));
        var index = starts.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var known = _severities.Select(s => s.Label).ToHashSet();
        var series = new List<Series>();
        foreach (var (label, color) in _severities.Append(("OTHER", "#9e9e9e")))
        {
            var values = new long[starts.Count];
            foreach (var point in points.Where(p => label == "OTHER" ? !known.Contains(p.Severity ?? "") : p.Severity == label))
            {
                values[index[point.Start]] += point.Count;
            }

            if (values.Any(v => v > 0))
            {
                series.Add(new Series(label, color, values));
            }
        }

        return Lines([.. starts.Select(bucket.Label)], series, $"Findings per {bucket.Unit} by severity");
    }

    private static string WeeklyChart(QueryResult weekly)
    {
        var rows = weekly.Rows.Where(r => r[0] is not null).Select(r => (Week: Utc(r[0]!), New: Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Resolved: Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList();
        if (rows.Count == 0)
        {
            return "<p>No findings.</p>";
        }

        var weeks = TimeBucket.Week.Span(rows.Min(r => r.Week), rows.Max(r => r.Week));
        var byWeek = rows.ToDictionary(r => r.Week);
        var opened = weeks.Select(w => byWeek.TryGetValue(w, out var r) ? r.New : 0).ToArray();
        var resolved = weeks.Select(w => byWeek.TryGetValue(w, out var r) ? r.Resolved : 0).ToArray();
        return Columns(
            [.. weeks.Select(TimeBucket.Week.Label)],
            [new Series("new", "#d32f2f", opened), new Series("resolved", "#388e3c", resolved)],
            "New and resolved findings per week");
    }

    private static DateTime Utc(object value) => value switch
    {
        DateTimeOffset o => o.UtcDateTime,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        _ => throw new InvalidOperationException($"expected a timestamp, got {value.GetType().Name}"),
    };

    private static void Card(StringBuilder html, string label, object? value) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><b>{Html(ValueText.Format(value))}</b>{Html(label)}</div>");

    private static void Table(StringBuilder html, string id, QueryResult result, IReadOnlyList<string> columns)
    {
        var positions = columns.Select(c => result.Columns.ToList().FindIndex(x => x.Name == c)).ToArray();
        html.Append(CultureInfo.InvariantCulture, $"<table id=\"{id}\"><thead><tr>");
        foreach (var c in columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th{NumericClass(result, c)}>{Html(c.Replace('_', ' '))}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in result.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < columns.Count; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td{NumericClass(result, columns[i])}>{Html(ValueText.Format(row[positions[i]]))}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string NumericClass(QueryResult result, string column) => result.Columns.FirstOrDefault(c => c.Name == column)?.TypeName switch
    {
        "BigInt" or "Integer" or "HugeInt" => " class=\"n\"",
        "TimestampTz" or "Timestamp" or "Date" => " class=\"t\"",
        _ => "",
    };
}
