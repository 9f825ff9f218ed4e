using System.Text;
using System.Text.RegularExpressions;

namespace SecHubFanout.Core.Analytics;

/// <summary>
/// Rewrites the few Athena (Trino) constructs the views use that DuckDB spells differently. Everything else the views use
/// (date_trunc, count(DISTINCT), row_number() OVER, CROSS JOIN UNNEST ... AS t (c), NULLS LAST, WITH, CASE) is the same in
/// both and passes through. Timestamps are the other difference and are handled by the session, not the text: Athena's
/// <c>timestamp</c> columns hold UTC wall-clock values, DuckDB reads the Parquet TIMESTAMP(MILLIS, UTC) columns as
/// TIMESTAMP WITH TIME ZONE, so the local session runs with TimeZone=UTC and date_trunc('hour', ...) gives the same hours.
/// </summary>
internal static partial class DuckDbTranslation
{
    /// <summary>Translates an Athena SELECT into DuckDB's dialect; throws for Athena functions that have no rewrite here yet.</summary>
    public static string Translate(string athenaSql)
    {
        var unsupported = UnsupportedFunction().Match(athenaSql);
        if (unsupported.Success)
        {
            throw new NotSupportedException(
                $"The Athena function '{unsupported.Groups[1].Value}' has no DuckDB translation in {nameof(DuckDbTranslation)}: add one there.");
        }

        // DuckDB's cardinality() accepts only MAPs; len() is its length of a LIST (Athena: cardinality of an array).
        var sql = Cardinality().Replace(athenaSql, "len(");

        // Athena parses ISO 8601 text with from_iso8601_timestamp(x); DuckDB casts it.
        return RewriteCalls(sql, "from_iso8601_timestamp", argument => $"CAST({argument} AS TIMESTAMPTZ)");
    }

    private static string RewriteCalls(string sql, string function, Func<string, string> rewrite)
    {
        var builder = new StringBuilder(sql.Length);
        var position = 0;
        foreach (Match match in Regex.Matches(sql, $@"\b{function}\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        {
            if (match.Index < position)
            {
                continue;
            }

            var start = match.Index + match.Length;
            var end = ClosingParenthesis(sql, start);
            builder.Append(sql, position, match.Index - position);
            builder.Append(rewrite(Translate(sql[start..end])));
            position = end + 1;
        }

        builder.Append(sql, position, sql.Length - position);
        return builder.ToString();
    }

    private static int ClosingParenthesis(string sql, int start)
    {
        var depth = 0;
        var quoted = false;
        for (var i = start; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                if (depth == 0)
                {
                    return i;
                }

                depth--;
            }
        }

        throw new FormatException("Unbalanced parentheses in view SQL: " + sql);
    }

    [GeneratedRegex(@"\bcardinality\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Cardinality();

    // Trino functions that DuckDB lacks or spells with other semantics (format strings, lambdas).
    [GeneratedRegex(@"\b(date_format|date_parse|format_datetime|parse_datetime|to_iso8601|from_unixtime|array_join|transform|json_extract_scalar)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnsupportedFunction();
}
