using System.Globalization;

namespace SecHubFanout.Core.Streaming;

/// <summary>The export IDs of streamed findings: one per hour of event time, <c>stream-yyyyMMddHH</c> (UTC).</summary>
public static class StreamExportIds
{
    /// <summary>What every stream export ID starts with; the stream writer may write only below <c>export_id=stream-*</c>.</summary>
    public const string Prefix = "stream-";

    /// <summary>The start of the UTC hour that holds <paramref name="time"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The export ID of the hour that holds <paramref name="time"/>, for example <c>stream-2026120219</c>.</summary>
    public static string For(DateTimeOffset time) => Prefix + HourOf(time).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
