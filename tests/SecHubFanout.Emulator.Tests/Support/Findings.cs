using System.Text.Json;

namespace SecHubFanout.Emulator.Tests.Support;

/// <summary>Reads ASFF attributes from raw findings, the ground truth the filter tests compare against.</summary>
internal static class Findings
{
    public static string? Str(this JsonElement finding, params string[] path)
    {
        var e = finding;
        foreach (var name in path)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                e = e.EnumerateArray().FirstOrDefault();
            }

            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }

        return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
    }

    public static string Id(this JsonElement finding) => finding.Str("Id")!;

    public static DateTimeOffset Updated(this JsonElement finding) => DateTimeOffset.Parse(finding.Str("UpdatedAt")!, System.Globalization.CultureInfo.InvariantCulture);
}
