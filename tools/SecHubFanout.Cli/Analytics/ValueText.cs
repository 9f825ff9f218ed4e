using System.Collections;
using System.Globalization;
using System.Numerics;

namespace SecHubFanout.Cli.Analytics;

/// <summary>How query values read as text (tables, CSV, the HTML report): invariant culture, ISO 8601 UTC timestamps.</summary>
internal static class ValueText
{
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (t.Millisecond != 0 ? t.ToString(".fff", CultureInfo.InvariantCulture) : ""),
        DateTimeOffset t => Format(t.UtcDateTime),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
