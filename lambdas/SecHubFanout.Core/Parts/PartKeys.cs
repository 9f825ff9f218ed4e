using System.Globalization;
using System.Text.RegularExpressions;

namespace SecHubFanout.Core.Parts;

/// <summary>
/// The object key layout of exported parts: <c>findings/account_id=A/region=R/export_date=yyyy-MM-dd/export_id=E/part-WWWW-SSSSS.ext</c>.
/// Keys are deterministic (window index, or a split-off window's first instant, and sequence), so a resumed or restarted window
/// rewrites the same objects.
/// </summary>
public static partial class PartKeys
{
    /// <summary>The first segment of every key.</summary>
    public const string Root = "findings";

    /// <summary>Checks the values that become key segments, so a key never gains an extra level or an odd character.</summary>
    public static void ValidateSegments(string exportId, string accountId, string region)
    {
        if (string.IsNullOrEmpty(exportId) || !ExportIdPattern().IsMatch(exportId))
        {
            throw new ArgumentException($"Export ID \"{exportId}\" is not usable in an object key: use 1 to 64 letters, digits, '.', '_' or '-'.", nameof(exportId));
        }

        if (string.IsNullOrEmpty(accountId) || !AccountIdPattern().IsMatch(accountId))
        {
            throw new ArgumentException($"Account ID \"{accountId}\" is not a 12-digit AWS account ID.", nameof(accountId));
        }

        if (string.IsNullOrEmpty(region) || !RegionPattern().IsMatch(region))
        {
            throw new ArgumentException($"Region \"{region}\" is not a Region name such as us-east-1.", nameof(region));
        }
    }

    /// <summary>The Hive-style partition prefix (ending in '/') of one account, Region and export.</summary>
    public static string PartitionPrefix(string exportId, string accountId, string region, DateTimeOffset exportEnd)
    {
        ValidateSegments(exportId, accountId, region);
        var date = exportEnd.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"{Root}/account_id={accountId}/region={region}/export_date={date}/export_id={exportId}/";
    }

    /// <summary>The key of part <paramref name="sequence"/> of planned window <paramref name="windowIndex"/> under <paramref name="prefix"/>.</summary>
    public static string PartKey(string prefix, int windowIndex, int sequence, string extension) =>
        PartKey(prefix, WindowName(windowIndex), sequence, extension);

    /// <summary>The key of part <paramref name="sequence"/> of the window named <paramref name="windowName"/> under <paramref name="prefix"/>.</summary>
    public static string PartKey(string prefix, string windowName, int sequence, string extension)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrEmpty(windowName);
        ArgumentNullException.ThrowIfNull(extension);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}part-{windowName}-{sequence:D5}{extension}");
    }

    /// <summary>A planned window's name in part keys: its index, four digits.</summary>
    public static string WindowName(int windowIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowIndex);
        return windowIndex.ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <summary>A split-off window's name in part keys: <c>s</c> and its first instant in Unix milliseconds (windows never share one).</summary>
    public static string SplitWindowName(DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"s{start.ToUnixTimeMilliseconds():D13}");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ExportIdPattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}
