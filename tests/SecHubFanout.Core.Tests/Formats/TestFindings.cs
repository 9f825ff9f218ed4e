using System.Globalization;
using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Schema;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Core.Tests.Formats;

/// <summary>The test corpus (realistic, sparse, non-ASCII, escaped, ~230 KB) and an independent oracle of each column's value (a DOM walk of the schema's source path).</summary>
internal static class TestFindings
{
    public const string NonAsciiTitle = "Überprüfung fehlgeschlagen — 日本語のタイトル ✓ 🚀";

    public static IReadOnlyList<byte[]> Corpus()
    {
        var list = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            list.Add(SampleFindings.Control(i));
        }

        // Sparse: no Compliance, Types, Resources, Workflow null, Severity without Normalized, timestamps without fraction and with an offset.
        list.Add(Encoding.UTF8.GetBytes("""{"SchemaVersion":"2018-10-08","Id":"sparse-1","ProductArn":"arn:aws:securityhub:us-east-1::product/aws/guardduty","GeneratorId":"gd","AwsAccountId":"444455556666","CreatedAt":"2026-11-20T10:15:30Z","UpdatedAt":"2026-11-20T12:15:30.5+02:00","Severity":{"Label":"LOW"},"Workflow":null,"Title":"t","Description":"d"}"""));

        // Non-ASCII text raw, JSON escapes that must survive byte for byte, an empty Types array, a resource without Type.
        list.Add(Encoding.UTF8.GetBytes("{\"Id\":\"non-ascii-\u00e9\",\"Title\":\"" + NonAsciiTitle + "\",\"Description\":\"line\\u2028sep \\\"quoted\\\" back\\\\slash \\n newline \\u00e9 \\ud83d\\ude80\",\"Types\":[],\"Resources\":[{\"Id\":\"r-without-type\"},{\"Type\":\"AwsEc2Instance\",\"Id\":\"i-0123\"}],\"Severity\":{\"Normalized\":40.0,\"Label\":\"MEDIUM\"},\"CreatedAt\":\"2026-11-20T10:15:30.1234567Z\",\"UpdatedAt\":\"2026-11-20T10:15:30.123456789Z\",\"FirstObservedAt\":\"2026-11-20T10:15:30\",\"Compliance\":{\"Status\":\"WARNING\"},\"RecordState\":\"ARCHIVED\"}"));

        // About 230 KB, close to Security Hub's 240 KB limit.
        list.Add(SampleFindings.Control(42, padding: 230_000));
        return list;
    }

    /// <summary>What a column should hold for a finding, read with a DOM along the schema's source path (independent of the code under test).</summary>
    public static object? Expected(ColumnDefinition column, byte[] finding, PartContext context)
    {
        switch (column.Name)
        {
            case "source_account_id": return context.SourceAccountId;
            case "source_region": return context.SourceRegion;
            case "export_id": return context.ExportId;
            case "exported_at": return context.ExportedAt.ToUnixTimeMilliseconds();
            case "finding": return Encoding.UTF8.GetString(finding);
        }

        using var doc = JsonDocument.Parse(finding);
        var path = column.Source.Split(' ')[0];
        var parts = path.Split('.');
        if (parts[0].EndsWith("[]", StringComparison.Ordinal))
        {
            if (!doc.RootElement.TryGetProperty(parts[0][..^2], out var array) || array.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return array.EnumerateArray()
                .Select(e => parts.Length == 1 ? e.GetString() : e.TryGetProperty(parts[1], out var v) ? v.GetString() : null)
                .ToList();
        }

        var element = doc.RootElement;
        foreach (var part in parts)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return column.Type switch
        {
            ColumnType.String => element.GetString(),
            ColumnType.Int => (int)element.GetDouble(),
            ColumnType.Timestamp => TruncatedMillis(element.GetString()!),
            _ => throw new InvalidOperationException(column.Name),
        };
    }

    private static long TruncatedMillis(string iso)
    {
        var value = DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return value.ToUnixTimeMilliseconds();
    }
}
