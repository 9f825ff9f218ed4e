using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using SecHubFanout.Core.Orchestration;

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

    /// <summary>True when <paramref name="exportId"/> can be a key segment: 1 to 64 letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidExportId(string? exportId) => !string.IsNullOrEmpty(exportId) && ExportIdPattern().IsMatch(exportId);

    /// <summary>What is wrong with <paramref name="exportId"/> as a key segment, in words every host can prefix with its own name for the input.</summary>
    public static string ExportIdProblem(string? exportId) =>
        $"export ID \"{exportId}\" is not usable in an object key: use 1 to 64 letters, digits, '.', '_' or '-'";

    /// <summary>
    /// Finds the first value that cannot become a key segment (so a key never gains an extra level or an odd character):
    /// false with what is wrong, else true.
    /// </summary>
    public static bool TryValidateSegments(string? exportId, string? accountId, string? region, [NotNullWhen(false)] out string? problem)
    {
        problem = !IsValidExportId(exportId) ? ExportIdProblem(exportId)
            : !AccountIds.IsValid(accountId) ? AccountIds.Problem(accountId)
            : !RegionNames.IsValid(region) ? RegionNames.Problem(region)
            : null;
        return problem is null;
    }

    /// <summary>Checks the values that become key segments; throws <see cref="ArgumentException"/> naming the first that cannot.</summary>
    public static void ValidateSegments(string exportId, string accountId, string region)
    {
        if (!TryValidateSegments(exportId, accountId, region, out var problem))
        {
            throw new ArgumentException(problem + ".");
        }
    }

    /// <summary>
    /// The folder below an account that holds GetFindingsV2 (OCSF) exports: <c>findings/account_id=A/ocsf/region=R/...</c>. It stays
    /// below the account's own prefix (what the bucket policy lets a member write) and outside <c>account_id=A/region=*</c> (what the
    /// ASFF table and view read), so the two schemas never share a folder.
    /// </summary>
    public const string OcsfFolder = "ocsf";

    /// <summary>The Hive-style partition prefix (ending in '/') of one account, Region and export.</summary>
    public static string PartitionPrefix(string exportId, string accountId, string region, DateTimeOffset exportEnd) =>
        PartitionPrefix(exportId, accountId, region, exportEnd, Queries.FindingsApi.V1);

    /// <summary>The partition prefix of one account, Region and export of <paramref name="api"/> (OCSF below <see cref="OcsfFolder"/>).</summary>
    public static string PartitionPrefix(string exportId, string accountId, string region, DateTimeOffset exportEnd, Queries.FindingsApi api)
    {
        ValidateSegments(exportId, accountId, region);
        var date = exportEnd.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var folder = api == Queries.FindingsApi.V2 ? OcsfFolder + "/" : string.Empty;
        return $"{Root}/account_id={accountId}/{folder}region={region}/export_date={date}/export_id={exportId}/";
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
}
