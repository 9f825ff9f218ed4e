using System.Text.Json;

namespace SecHubFanout.Core.Queries;

/// <summary>
/// The shape of GetFindingsV2 filters (<c>OcsfFindingFilters</c>): <c>{"CompositeFilters":[...],"CompositeOperator":"AND"|"OR"}</c>, each
/// composite holding <c>StringFilters</c>, <c>DateFilters</c>, <c>NumberFilters</c>, <c>BooleanFilters</c>, <c>MapFilters</c>,
/// <c>IpFilters</c>, <c>NestedCompositeFilters</c> and an <c>Operator</c>. Checked here only as far as the export depends on it;
/// Security Hub validates the rest and its ValidationException names what is wrong.
/// </summary>
public static class OcsfFilters
{
    /// <summary>The date field the export windows cut; a user filter on it is refused.</summary>
    public const string WindowField = "finding_info.modified_time_dt";

    /// <summary>GetFindingsV2 takes at most 10 composite filters; the export adds one for its window and one for its own account and Region.</summary>
    public const int MaxUserCompositeFilters = 8;

    private const string Example =
        "{\"CompositeFilters\":[{\"StringFilters\":[{\"FieldName\":\"severity\",\"Filter\":{\"Value\":\"Critical\",\"Comparison\":\"EQUALS\"}}]}],\"CompositeOperator\":\"AND\"}";

    private static readonly string[] _compositeMembers =
        ["StringFilters", "DateFilters", "NumberFilters", "BooleanFilters", "MapFilters", "IpFilters", "NestedCompositeFilters", "Operator"];

    /// <summary>Parses JSON text, or throws <see cref="InvalidFiltersException"/> with an example.</summary>
    internal static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new InvalidFiltersException($"The GetFindingsV2 filters are not valid JSON ({e.Message}). Give a JSON object such as {Example}.", e);
        }
    }

    /// <summary>Throws <see cref="InvalidFiltersException"/> when <paramref name="root"/> is not usable as an export's V2 filters.</summary>
    internal static void Validate(JsonElement root, int maxAndComposites)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFiltersException($"The GetFindingsV2 filters must be a JSON object, for example {Example}.");
        }

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "CompositeFilters":
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new InvalidFiltersException($"CompositeFilters must be an array of composite filters, for example {Example}.");
                    }

                    var count = property.Value.GetArrayLength();
                    if (count > maxAndComposites && Operator(root) == "AND")
                    {
                        throw new InvalidFiltersException(
                            $"The filters hold {count} composite filters; with AND at most {MaxUserCompositeFilters} fit, as GetFindingsV2 takes 10 and the export adds one for its time window and one for its own account and Region. Merge some, or nest them in NestedCompositeFilters.");
                    }

                    var k = 0;
                    foreach (var composite in property.Value.EnumerateArray())
                    {
                        ValidateComposite(composite, $"CompositeFilters[{k++}]");
                    }

                    break;
                case "CompositeOperator":
                    _ = Operator(root);
                    break;
                default:
                    throw new InvalidFiltersException(
                        $"\"{property.Name}\" is not part of GetFindingsV2 filters (CompositeFilters, CompositeOperator). Were these GetFindings (v1) filters? Then drop --api v2; else write them like {Example}.");
            }
        }
    }

    /// <summary>The filters' <c>CompositeOperator</c> (AND when not given).</summary>
    public static string Operator(JsonElement root)
    {
        if (!root.TryGetProperty("CompositeOperator", out var op) || op.ValueKind == JsonValueKind.Null)
        {
            return "AND";
        }

        return op.ValueKind == JsonValueKind.String && op.GetString() is "AND" or "OR"
            ? op.GetString()!
            : throw new InvalidFiltersException($"CompositeOperator must be \"AND\" or \"OR\", not {op.GetRawText()}.");
    }

    /// <summary>Whether any string filter, at any depth, is on <paramref name="fieldName"/>.</summary>
    public static bool FiltersOn(FindingFilters filters, string fieldName)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return filters.Fields.Any(f => f.Key == "CompositeFilters" && f.Value.EnumerateArray().Any(c => Mentions(c, fieldName)));
    }

    private static bool Mentions(JsonElement composite, string fieldName)
    {
        foreach (var property in composite.EnumerateObject())
        {
            if (property.Name == "NestedCompositeFilters" && property.Value.ValueKind == JsonValueKind.Array)
            {
                if (property.Value.EnumerateArray().Any(c => Mentions(c, fieldName)))
                {
                    return true;
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Array
                && property.Value.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("FieldName", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == fieldName))
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateComposite(JsonElement composite, string path)
    {
        if (composite.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFiltersException($"{path} must be a composite filter object, for example {Example}.");
        }

        foreach (var property in composite.EnumerateObject())
        {
            if (!_compositeMembers.Contains(property.Name))
            {
                throw new InvalidFiltersException($"{path}.{property.Name} is not part of a composite filter; use {string.Join(", ", _compositeMembers)}.");
            }

            if (property.Name == "Operator")
            {
                if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not ("AND" or "OR"))
                {
                    throw new InvalidFiltersException($"{path}.Operator must be \"AND\" or \"OR\", not {property.Value.GetRawText()}.");
                }

                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidFiltersException($"{path}.{property.Name} must be an array.");
            }

            var k = 0;
            foreach (var item in property.Value.EnumerateArray())
            {
                var at = $"{path}.{property.Name}[{k++}]";
                if (property.Name == "NestedCompositeFilters")
                {
                    ValidateComposite(item, at);
                    continue;
                }

                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("FieldName", out var name) || name.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("Filter", out var filter) || filter.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidFiltersException($"{at} must be {{\"FieldName\":\"...\",\"Filter\":{{...}}}}.");
                }

                if (property.Name == "DateFilters" && name.GetString() == WindowField)
                {
                    throw new InvalidFiltersException(
                        $"{at} filters on {WindowField}, which the export uses for its own time windows. Remove it and pass --since <ISO-8601 instant> to export only findings modified since then.");
                }
            }
        }
    }
}
