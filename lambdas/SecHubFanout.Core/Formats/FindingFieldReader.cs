using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace SecHubFanout.Core.Formats;

/// <summary>Reads only the fields that become columns from a finding's raw UTF-8 JSON, in one forward pass (no DOM, no typed ASFF).</summary>
public static class FindingFieldReader
{
    // Findings nest a few levels (Resources[].Details...); the default of 64 is ample, but be explicit about it.
    private static readonly JsonReaderOptions _options = new() { MaxDepth = 256 };

    /// <summary>Fills <paramref name="fields"/> from <paramref name="finding"/>, or throws <see cref="InvalidFindingException"/> naming <paramref name="position"/>.</summary>
    /// <param name="finding">The finding's JSON object, UTF-8.</param>
    /// <param name="fields">Receives the values; cleared first.</param>
    /// <param name="position">The finding's 0-based position in its part, for the error message.</param>
    public static void Read(ReadOnlySpan<byte> finding, FindingFields fields, int position)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        if (!Utf8.IsValid(finding))
        {
            throw new InvalidFindingException(position, "its bytes are not valid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(finding, _options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidFindingException(position, "it is not a JSON object");
            }

            ReadTopLevel(ref reader, fields, position);

            // Anything after the object (a second value, garbage) makes the reader throw here.
            reader.Read();
        }
        catch (JsonException ex)
        {
            throw Malformed(ex, position);
        }
    }

    /// <summary>Checks that <paramref name="finding"/> is exactly one JSON object (for formats that copy the bytes without reading fields).</summary>
    internal static void Validate(ReadOnlySpan<byte> finding, int position)
    {
        try
        {
            var reader = new Utf8JsonReader(finding, _options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidFindingException(position, "it is not a JSON object");
            }

            reader.Skip();

            // Anything after the object (a second value, garbage) makes the reader throw here.
            reader.Read();
        }
        catch (JsonException ex)
        {
            throw Malformed(ex, position);
        }
    }

    /// <summary>Fills and returns a new <see cref="FindingFields"/> (convenience for one-off reads).</summary>
    public static FindingFields Read(ReadOnlySpan<byte> finding, int position = 0)
    {
        var fields = new FindingFields();
        Read(finding, fields, position);
        return fields;
    }

    // The nested objects that hold columns; their members are read by ReadMember.
    private enum NestedObject
    {
        Severity,
        Compliance,
        Workflow,
        Resource,
    }

    private static void ReadTopLevel(ref Utf8JsonReader reader, FindingFields f, int position)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            switch (name.Length)
            {
                case 2 when name.SequenceEqual("Id"u8):
                    f.Id = ReadString(ref reader, "Id", position);
                    break;
                case 5 when name.SequenceEqual("Title"u8):
                    f.Title = ReadRepeatedString(ref reader, f, "Title", position);
                    break;
                case 5 when name.SequenceEqual("Types"u8):
                    ReadTypes(ref reader, f, position);
                    break;
                case 6 when name.SequenceEqual("Region"u8):
                    f.Region = ReadRepeatedString(ref reader, f, "Region", position);
                    break;
                case 8 when name.SequenceEqual("Severity"u8):
                    ReadObject(ref reader, f, NestedObject.Severity, "Severity", position);
                    break;
                case 8 when name.SequenceEqual("Workflow"u8):
                    ReadObject(ref reader, f, NestedObject.Workflow, "Workflow", position);
                    break;
                case 9 when name.SequenceEqual("CreatedAt"u8):
                    f.CreatedAt = ReadTimestamp(ref reader, "CreatedAt", position);
                    break;
                case 9 when name.SequenceEqual("UpdatedAt"u8):
                    f.UpdatedAt = ReadTimestamp(ref reader, "UpdatedAt", position);
                    break;
                case 9 when name.SequenceEqual("Resources"u8):
                    ReadResources(ref reader, f, position);
                    break;
                case 10 when name.SequenceEqual("ProductArn"u8):
                    f.ProductArn = ReadRepeatedString(ref reader, f, "ProductArn", position);
                    break;
                case 10 when name.SequenceEqual("Compliance"u8):
                    ReadObject(ref reader, f, NestedObject.Compliance, "Compliance", position);
                    break;
                case 11 when name.SequenceEqual("ProductName"u8):
                    f.ProductName = ReadRepeatedString(ref reader, f, "ProductName", position);
                    break;
                case 11 when name.SequenceEqual("CompanyName"u8):
                    f.CompanyName = ReadRepeatedString(ref reader, f, "CompanyName", position);
                    break;
                case 11 when name.SequenceEqual("GeneratorId"u8):
                    f.GeneratorId = ReadRepeatedString(ref reader, f, "GeneratorId", position);
                    break;
                case 11 when name.SequenceEqual("RecordState"u8):
                    f.RecordState = ReadRepeatedString(ref reader, f, "RecordState", position);
                    break;
                case 12 when name.SequenceEqual("AwsAccountId"u8):
                    f.AwsAccountId = ReadRepeatedString(ref reader, f, "AwsAccountId", position);
                    break;
                case 14 when name.SequenceEqual("LastObservedAt"u8):
                    f.LastObservedAt = ReadTimestamp(ref reader, "LastObservedAt", position);
                    break;
                case 15 when name.SequenceEqual("FirstObservedAt"u8):
                    f.FirstObservedAt = ReadTimestamp(ref reader, "FirstObservedAt", position);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    // Reads one member of a nested object when it is a column; returns false for any other member, which the caller skips
    // (Resources[].Details can be large and deep: Skip walks it without materializing anything).
    private static bool ReadMember(ref Utf8JsonReader reader, NestedObject parent, scoped ReadOnlySpan<byte> name, FindingFields f, int position)
    {
        switch (parent)
        {
            case NestedObject.Severity when name.SequenceEqual("Label"u8):
                f.SeverityLabel = ReadRepeatedString(ref reader, f, "Severity.Label", position);
                return true;
            case NestedObject.Severity when name.SequenceEqual("Normalized"u8):
                f.SeverityNormalized = ReadInt(ref reader, "Severity.Normalized", position);
                return true;
            case NestedObject.Compliance when name.SequenceEqual("Status"u8):
                f.ComplianceStatus = ReadRepeatedString(ref reader, f, "Compliance.Status", position);
                return true;
            case NestedObject.Compliance when name.SequenceEqual("SecurityControlId"u8):
                f.SecurityControlId = ReadRepeatedString(ref reader, f, "Compliance.SecurityControlId", position);
                return true;
            case NestedObject.Workflow when name.SequenceEqual("Status"u8):
                f.WorkflowStatus = ReadRepeatedString(ref reader, f, "Workflow.Status", position);
                return true;
            case NestedObject.Resource when name.SequenceEqual("Type"u8):
                f.PendingResourceType = ReadRepeatedString(ref reader, f, "Resources[].Type", position);
                return true;
            case NestedObject.Resource when name.SequenceEqual("Id"u8):
                f.PendingResourceId = ReadString(ref reader, "Resources[].Id", position);
                return true;
            default:
                return false;
        }
    }

    // An object (or null) whose column members are read; the others are skipped.
    private static void ReadObject(ref Utf8JsonReader reader, FindingFields f, NestedObject parent, string path, int position)
    {
        if (StartObject(ref reader, path, position))
        {
            ReadMembers(ref reader, f, parent, position);
        }
    }

    private static void ReadMembers(ref Utf8JsonReader reader, FindingFields f, NestedObject parent, int position)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (!ReadMember(ref reader, parent, name, f, position))
            {
                reader.Skip();
            }
        }
    }

    private static void ReadTypes(ref Utf8JsonReader reader, FindingFields f, int position)
    {
        if (!StartArray(ref reader, "Types", position))
        {
            return;
        }

        var types = f.StartTypes();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            types.Add(ReadRepeatedString(ref reader, f, "Types[]", position));
        }
    }

    private static void ReadResources(ref Utf8JsonReader reader, FindingFields f, int position)
    {
        if (!StartArray(ref reader, "Resources", position))
        {
            return;
        }

        f.StartResources();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw WrongType(ref reader, "Resources[]", "an object", position);
            }

            f.PendingResourceType = f.PendingResourceId = null;
            ReadMembers(ref reader, f, NestedObject.Resource, position);
            f.AddResource(f.PendingResourceType, f.PendingResourceId);
        }
    }

    private static bool StartObject(ref Utf8JsonReader reader, string path, int position)
    {
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => true,
            JsonTokenType.Null => false,
            _ => throw WrongType(ref reader, path, "an object", position),
        };
    }

    private static bool StartArray(ref Utf8JsonReader reader, string path, int position)
    {
        return reader.TokenType switch
        {
            JsonTokenType.StartArray => true,
            JsonTokenType.Null => false,
            _ => throw WrongType(ref reader, path, "an array", position),
        };
    }

    private static string? ReadString(ref Utf8JsonReader reader, string path, int position)
    {
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw WrongType(ref reader, path, "a string", position),
        };
    }

    // A string that repeats across findings (labels, account IDs, product ARNs): made once per distinct value, not per finding.
    private static string? ReadRepeatedString(ref Utf8JsonReader reader, FindingFields f, string path, int position)
    {
        return reader.TokenType switch
        {
            JsonTokenType.String when !reader.ValueIsEscaped => f.Strings.Get(reader.ValueSpan),
            _ => ReadString(ref reader, path, position),
        };
    }

    private static int? ReadInt(ref Utf8JsonReader reader, string path, int position)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            throw WrongType(ref reader, path, "a number", position);
        }

        if (reader.TryGetInt32(out var value))
        {
            return value;
        }

        // 40.0 is still the integer 40; 40.5 or 1e12 would be silently wrong as an int, so refuse them.
        if (reader.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw new InvalidFindingException(position, $"{path} should be a 32-bit integer but is {Raw(ref reader)}");
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, string path, int position)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw WrongType(ref reader, path, "an ISO 8601 string", position);
        }

        if (reader.TryGetDateTimeOffset(out var value))
        {
            if (HasOffset(reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan))
            {
                return value.ToUniversalTime();
            }

            // No offset given: the reader assumed the local zone; ASFF times are UTC, so take the wall-clock value as UTC.
            return new DateTimeOffset(DateTime.SpecifyKind(value.DateTime, DateTimeKind.Unspecified), TimeSpan.Zero);
        }

        // The reader's ISO 8601 profile is strict (for example at most 7 fractional digits at full precision, no space for T);
        // fall back to the invariant parser before refusing.
        var text = reader.GetString()!;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return value;
        }

        throw new InvalidFindingException(position, $"{path} should be an ISO 8601 timestamp but is \"{text}\"");
    }

    private static bool HasOffset(ReadOnlySpan<byte> iso)
    {
        var t = iso.IndexOfAny("Tt "u8);
        if (t < 0)
        {
            return false;
        }

        return iso[(t + 1)..].IndexOfAny("Zz+-"u8) >= 0;
    }

    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader)
    {
        // Security Hub never escapes property names; the rare escaped one is unescaped on the slow path.
        return reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
    }

    private static InvalidFindingException Malformed(JsonException ex, int position) =>
        new(position, $"malformed JSON at byte {ex.BytePositionInLine} ({ex.Message})", ex);

    private static InvalidFindingException WrongType(ref Utf8JsonReader reader, string path, string expected, int position)
    {
        return new InvalidFindingException(position, $"{path} should be {expected} or null but is a {reader.TokenType}");
    }

    private static string Raw(ref Utf8JsonReader reader) => Encoding.UTF8.GetString(reader.ValueSpan);
}
