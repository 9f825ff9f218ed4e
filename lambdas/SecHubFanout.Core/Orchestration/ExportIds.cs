using System.Globalization;
using System.Security.Cryptography;

namespace SecHubFanout.Core.Orchestration;

/// <summary>Export IDs: <c>yyyyMMddTHHmmssZ-xxxxxxxx</c>, sortable by start time, unique by a random suffix, safe in S3 keys and execution names.</summary>
public static class ExportIds
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const int SuffixLength = 8;

    /// <summary>Creates a new export ID for an export started at <paramref name="startedAt"/>.</summary>
    public static string Create(DateTimeOffset startedAt)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SuffixLength / 2));
        return startedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + suffix;
    }

    /// <summary>True when <paramref name="value"/> has the shape of an export ID.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 16 + 1 + SuffixLength || value[16] != '-')
        {
            return false;
        }

        return DateTime.TryParseExact(value.AsSpan(0, 16), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)
            && value.AsSpan(17).IndexOfAnyExcept("0123456789abcdef") < 0;
    }
}
