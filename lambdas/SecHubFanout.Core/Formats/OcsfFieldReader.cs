using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace SecHubFanout.Core.Formats;

/// <summary>
/// Reads the column values of an OCSF finding (GetFindingsV2) from its raw UTF-8 JSON. OCSF nests what ASFF keeps at the top
/// (finding_info, metadata.product, cloud.account), so this reader walks a parsed document rather than one forward pass.
/// </summary>
public static class OcsfFieldReader
{
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 256 };

    /// <summary>Fills <paramref name="fields"/> from <paramref name="finding"/>, or throws <see cref="InvalidFindingException"/> naming <paramref name="position"/>.</summary>
    public static void Read(ReadOnlyMemory<byte> finding, OcsfFields fields, int position)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!Utf8.IsValid(finding.Span))
        {
            throw new InvalidFindingException(position, "its bytes are not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(finding, _options);
        }
        catch (JsonException ex)
        {
            throw new InvalidFindingException(position, $"malformed JSON at byte {ex.BytePositionInLine} ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidFindingException(position, "it is not a JSON object");
            }

            var info = Child(root, "finding_info");
            fields.FindingUid = String(info, "uid", "finding_info.uid", position);
            fields.Title = String(info, "title", "finding_info.title", position);
            fields.Types = Strings(info, "types", "finding_info.types", position);
            fields.CreatedTime = Time(info, "created_time", "finding_info.created_time_dt", position);
            fields.ModifiedTime = Time(info, "modified_time", "finding_info.modified_time_dt", position);
            fields.FirstSeenTime = Time(info, "first_seen_time", "finding_info.first_seen_time_dt", position);
            fields.LastSeenTime = Time(info, "last_seen_time", "finding_info.last_seen_time_dt", position);

            var metadata = Child(root, "metadata");
            fields.MetadataUid = String(metadata, "uid", "metadata.uid", position);
            fields.MetadataVersion = String(metadata, "version", "metadata.version", position);
            var product = Child(metadata, "product");
            fields.ProductName = String(product, "name", "metadata.product.name", position);
            fields.ProductUid = String(product, "uid", "metadata.product.uid", position);

            var cloud = Child(root, "cloud");
            fields.CloudAccountUid = String(Child(cloud, "account"), "uid", "cloud.account.uid", position);
            fields.CloudRegion = String(cloud, "region", "cloud.region", position);

            fields.ClassUid = Int(root, "class_uid", position);
            fields.ClassName = String(root, "class_name", "class_name", position);
            fields.Severity = String(root, "severity", "severity", position);
            fields.SeverityId = Int(root, "severity_id", position);
            fields.Status = String(root, "status", "status", position);
            fields.StatusId = Int(root, "status_id", position);

            var compliance = Child(root, "compliance");
            fields.ComplianceStatus = String(compliance, "status", "compliance.status", position);
            fields.ComplianceControl = String(compliance, "control", "compliance.control", position);

            ReadResources(root, fields, position);
        }
    }

    /// <summary>Fills and returns a new <see cref="OcsfFields"/> (convenience for one-off reads).</summary>
    public static OcsfFields Read(ReadOnlyMemory<byte> finding, int position = 0)
    {
        var fields = new OcsfFields();
        Read(finding, fields, position);
        return fields;
    }

    private static void ReadResources(JsonElement root, OcsfFields fields, int position)
    {
        if (!root.TryGetProperty("resources", out var resources) || resources.ValueKind == JsonValueKind.Null)
        {
            fields.ResourceTypes = fields.ResourceUids = fields.ResourceRegions = null;
            return;
        }

        if (resources.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFindingException(position, $"resources should be an array or null but is a {resources.ValueKind}");
        }

        var types = new List<string?>();
        var uids = new List<string?>();
        var regions = new List<string?>();
        foreach (var resource in resources.EnumerateArray())
        {
            if (resource.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidFindingException(position, $"resources[] should be an object but is a {resource.ValueKind}");
            }

            types.Add(String(resource, "type", "resources[].type", position));
            uids.Add(String(resource, "uid", "resources[].uid", position));
            regions.Add(String(resource, "region", "resources[].region", position));
        }

        (fields.ResourceTypes, fields.ResourceUids, fields.ResourceRegions) = (types, uids, regions);
    }

    private static JsonElement Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : default;

    private static string? String(JsonElement parent, string name, string path, int position)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidFindingException(position, $"{path} should be a string or null but is a {value.ValueKind}");
    }

    private static List<string?>? Strings(JsonElement parent, string name, string path, int position)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFindingException(position, $"{path} should be an array or null but is a {value.ValueKind}");
        }

        return [.. value.EnumerateArray().Select(e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Null => null,
            _ => throw new InvalidFindingException(position, $"{path}[] should be a string but is a {e.ValueKind}"),
        })];
    }

    private static int? Int(JsonElement parent, string name, int position)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : throw new InvalidFindingException(position, $"{name} should be a 32-bit integer but is {value.GetRawText()}");
    }

    // OCSF carries each time twice: epoch milliseconds (name) and an ISO 8601 string (name_dt); the string wins when both exist.
    private static DateTimeOffset? Time(JsonElement parent, string name, string path, int position)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (parent.TryGetProperty(name + "_dt", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : throw new InvalidFindingException(position, $"{path} should be an ISO 8601 timestamp but is \"{text.GetString()}\"");
        }

        if (parent.TryGetProperty(name, out var millis) && millis.ValueKind == JsonValueKind.Number)
        {
            return millis.TryGetInt64(out var ms) && ms is >= -62_135_596_800_000 and <= 253_402_300_799_999
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : throw new InvalidFindingException(position, $"{path[..^3]} should be epoch milliseconds but is {millis.GetRawText()}");
        }

        return null;
    }
}
