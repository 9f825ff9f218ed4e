using System.Globalization;
using System.Text.RegularExpressions;

namespace SecHubFanout.Core.Incremental;

/// <summary>Reads an overlap such as <c>15m</c>, <c>90s</c>, <c>1h</c> or <c>0</c> (a number and a unit: s, m or h).</summary>
public static partial class OverlapText
{
    /// <summary>The longest overlap accepted: a day (more re-reads a day of findings every run for nothing).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(1);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong and what to write.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not an overlap: write a whole number and a unit, for example 15m, 90s or 1h (0 for none).");
        }

        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var overlap = match.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "s" => TimeSpan.FromSeconds(amount),
            _ when amount == 0 => TimeSpan.Zero,
            _ => throw new FormatException($"'{text}' has no unit: write for example 15m, 90s or 1h."),
        };
        return overlap <= Max
            ? overlap
            : throw new FormatException($"The overlap {text} is longer than a day: an overlap only needs to cover how late Security Hub makes a finding visible (minutes).");
    }

    /// <summary>Writes an overlap the way <see cref="Parse"/> reads it (the largest whole unit).</summary>
    public static string Format(TimeSpan overlap) =>
        overlap == TimeSpan.Zero ? "0"
        : overlap.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)overlap.TotalHours}h")
        : overlap.Ticks % TimeSpan.TicksPerMinute == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)overlap.TotalMinutes}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)overlap.TotalSeconds}s");

    [GeneratedRegex("^([0-9]{1,6})([smh]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
