using System.Security.Cryptography;
using System.Text.Json;

namespace SecHubFanout.Core.Queries;

/// <summary>
/// The user's Security Hub filters, validated once and kept as raw JSON so they reach the service exactly as written: for
/// <see cref="FindingsApi.V1"/> an <c>AwsSecurityFindingFilters</c> object (field name to an array of filter objects), for
/// <see cref="FindingsApi.V2"/> an <c>OcsfFindingFilters</c> object (see <see cref="OcsfFilters"/>). The filters carry their API,
/// so a query is always built and sent in the dialect it was written in.
/// </summary>
public sealed class FindingFilters
{
    /// <summary>The filter field the export windows set; a user filter on it is refused.</summary>
    public const string WindowField = "UpdatedAt";

    private const string Example = "{\"SeverityLabel\":[{\"Value\":\"CRITICAL\",\"Comparison\":\"EQUALS\"}]}";

    private FindingFilters(IReadOnlyList<KeyValuePair<string, JsonElement>> fields, string fingerprint, FindingsApi api = FindingsApi.V1)
    {
        Fields = fields;
        Fingerprint = fingerprint;
        Api = api;
    }

    /// <summary>No filter: every finding (of GetFindings).</summary>
    public static FindingFilters None { get; } = new([], Hash("{}"u8));

    /// <summary>No filter for GetFindingsV2: every OCSF finding.</summary>
    public static FindingFilters NoneV2 { get; } = new([], Hash("v2:{}"u8), FindingsApi.V2);

    /// <summary>The API these filters are written for (and the export pages). Default <see cref="FindingsApi.V1"/>.</summary>
    public FindingsApi Api { get; }

    /// <summary>The filter fields in the order given, each an array of filter objects.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Fields { get; }

    /// <summary>A short hash of the filters as written, stored in checkpoints so a resume with other filters is refused.</summary>
    public string Fingerprint { get; }

    /// <summary>No filter for <paramref name="api"/>.</summary>
    public static FindingFilters NoneFor(FindingsApi api) => api == FindingsApi.V2 ? NoneV2 : None;

    /// <summary>Parses and validates filters for <paramref name="api"/>; throws <see cref="InvalidFiltersException"/> saying what is wrong.</summary>
    public static FindingFilters Parse(string json, FindingsApi api)
    {
        if (api == FindingsApi.V1)
        {
            return Parse(json);
        }

        return ParseV2(json, OcsfFilters.MaxUserCompositeFilters);
    }

    /// <summary>Parses GetFindingsV2 filters allowing up to <paramref name="maxAndComposites"/> composites under AND.</summary>
    internal static FindingFilters ParseV2(string json, int maxAndComposites)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            return NoneV2;
        }

        using var document = OcsfFilters.ParseDocument(json);
        var root = document.RootElement;
        OcsfFilters.Validate(root, maxAndComposites);
        var fields = root.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())).ToList();
        return new FindingFilters(fields, Hash(System.Text.Encoding.UTF8.GetBytes("v2:" + root.GetRawText())), FindingsApi.V2);
    }

    /// <summary>Parses and validates GetFindings filters given as JSON text; throws <see cref="InvalidFiltersException"/> saying what is wrong.</summary>
    public static FindingFilters Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new InvalidFiltersException(
                $"The filters are not valid JSON ({e.Message}). Give a JSON object such as {Example}.", e);
        }

        using (document)
        {
            return FromElement(document.RootElement);
        }
    }

    private static FindingFilters FromElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFiltersException(
                $"The filters must be a JSON object of filter fields, not {Describe(root.ValueKind)}. For example {Example}.");
        }

        var fields = new List<KeyValuePair<string, JsonElement>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, WindowField, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidFiltersException(
                    $"The filters set \"{property.Name}\", which the export uses for its own time windows. " +
                    "Remove it and give the export a since instant instead, to export only findings updated since then.")
                {
                    Field = WindowField,
                };
            }

            if (!seen.Add(property.Name))
            {
                throw new InvalidFiltersException($"The filters name \"{property.Name}\" twice: merge its conditions into one array.");
            }

            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidFiltersException(
                    $"Filter \"{property.Name}\" must be an array of filter objects, not {Describe(property.Value.ValueKind)}. For example {Example}.");
            }

            var position = 0;
            foreach (var condition in property.Value.EnumerateArray())
            {
                if (condition.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidFiltersException(
                        $"Filter \"{property.Name}\"[{position}] must be a filter object such as {{\"Value\":\"...\",\"Comparison\":\"EQUALS\"}}, not {Describe(condition.ValueKind)}.");
                }

                position++;
            }

            fields.Add(new(property.Name, property.Value.Clone()));
        }

        return new FindingFilters(fields, Hash(System.Text.Encoding.UTF8.GetBytes(root.GetRawText())));
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static string Hash(ReadOnlySpan<byte> utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8))[..16];
}
