using System.Globalization;

namespace SecHubFanout.Cli.Analytics;

/// <summary>
/// The step of a time chart, chosen from the range it covers so the chart shows a trend rather than a wall of spikes: hours for
/// up to 3 days, days for up to 92 days, weeks beyond (at most about 90 points until a range of two years).
/// </summary>
internal sealed record TimeBucket(string Unit, string LabelFormat)
{
    public static readonly TimeBucket Hour = new("hour", "MM-dd HH:00");
    public static readonly TimeBucket Day = new("day", "yyyy-MM-dd");
    public static readonly TimeBucket Week = new("week", "yyyy-MM-dd");

    /// <summary>The bucket for data from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static TimeBucket For(DateTime first, DateTime last) => (last - first) switch
    {
        var span when span <= TimeSpan.FromDays(3) => Hour,
        var span when span <= TimeSpan.FromDays(92) => Day,
        _ => Week,
    };

    /// <summary>The start of the bucket holding <paramref name="time"/>, as DuckDB's and Athena's date_trunc give it (weeks start on Monday).</summary>
    public DateTime Truncate(DateTime time) => Unit switch
    {
        "hour" => new DateTime(time.Year, time.Month, time.Day, time.Hour, 0, 0, time.Kind),
        "day" => time.Date,
        _ => time.Date.AddDays(-(((int)time.DayOfWeek + 6) % 7)),
    };

    /// <summary>The start of the next bucket.</summary>
    public DateTime Next(DateTime start) => Unit switch
    {
        "hour" => start.AddHours(1),
        "day" => start.AddDays(1),
        _ => start.AddDays(7),
    };

    /// <summary>Every bucket start from the one holding <paramref name="first"/> to the one holding <paramref name="last"/>, so quiet buckets show as zero.</summary>
    public IReadOnlyList<DateTime> Span(DateTime first, DateTime last)
    {
        var starts = new List<DateTime>();
        for (var t = Truncate(first); t <= last; t = Next(t))
        {
            starts.Add(t);
        }

        return starts;
    }

    /// <summary>The x label of a bucket start.</summary>
    public string Label(DateTime start) => start.ToString(LabelFormat, CultureInfo.InvariantCulture);
}
