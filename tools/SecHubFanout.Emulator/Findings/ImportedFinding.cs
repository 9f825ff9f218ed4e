using System.Globalization;
using System.Text.Json;

namespace SecHubFanout.Emulator.Findings;

/// <summary>A finding stored by BatchImportFindings: its bytes exactly as given, plus the attributes filters and sorting read.</summary>
internal sealed class ImportedFinding
{
    private readonly string[][] _strings;
    private readonly long?[] _dates;

    private ImportedFinding(byte[] json, string[][] strings, long?[] dates)
    {
        Json = json;
        _strings = strings;
        _dates = dates;
    }

    public byte[] Json { get; }

    public string Id => _strings[(int)FindingField.Id][0];

    public string ProductArn => _strings[(int)FindingField.ProductArn][0];

    public ReadOnlySpan<string> Get(FindingField field) => _strings[(int)field];

    public long? GetDate(DateField field) => _dates[(int)field];

    /// <summary>Reads the attributes of one finding; Id and ProductArn must be there (the caller checks).</summary>
    public static ImportedFinding From(JsonElement finding, string defaultRegion)
    {
        var strings = new string[Enum.GetValues<FindingField>().Length][];
        strings[(int)FindingField.Id] = One(finding, "Id");
        strings[(int)FindingField.ProductArn] = One(finding, "ProductArn");
        strings[(int)FindingField.ProductName] = One(finding, "ProductName");
        strings[(int)FindingField.CompanyName] = One(finding, "CompanyName");
        strings[(int)FindingField.GeneratorId] = One(finding, "GeneratorId");
        strings[(int)FindingField.AwsAccountId] = One(finding, "AwsAccountId");
        var region = One(finding, "Region");
        strings[(int)FindingField.Region] = region.Length > 0 ? region : [defaultRegion];
        strings[(int)FindingField.SeverityLabel] = One(finding, "Severity", "Label");
        strings[(int)FindingField.ComplianceStatus] = One(finding, "Compliance", "Status");
        strings[(int)FindingField.ComplianceSecurityControlId] = One(finding, "Compliance", "SecurityControlId");
        strings[(int)FindingField.WorkflowStatus] = One(finding, "Workflow", "Status");
        strings[(int)FindingField.RecordState] = One(finding, "RecordState");
        strings[(int)FindingField.Title] = One(finding, "Title");
        strings[(int)FindingField.ResourceType] = FromResources(finding, "Type");
        strings[(int)FindingField.ResourceId] = FromResources(finding, "Id");

        var dates = new long?[Enum.GetValues<DateField>().Length];
        foreach (var field in Enum.GetValues<DateField>())
        {
            dates[(int)field] = One(finding, field.ToString()) is [var text] && TryParseTimestamp(text, out var millis) ? millis : null;
        }

        return new ImportedFinding(System.Text.Encoding.UTF8.GetBytes(finding.GetRawText()), strings, dates);
    }

    public static bool TryParseTimestamp(string text, out long unixMillis)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            unixMillis = value.ToUnixTimeMilliseconds();
            return true;
        }

        unixMillis = 0;
        return false;
    }

    private static string[] One(JsonElement e, params string[] path)
    {
        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return [];
            }
        }

        return e.ValueKind == JsonValueKind.String ? [e.GetString()!] : [];
    }

    private static string[] FromResources(JsonElement finding, string name)
    {
        if (!finding.TryGetProperty("Resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. resources.EnumerateArray().SelectMany(r => One(r, name))];
    }
}
