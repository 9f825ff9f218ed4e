using System.Globalization;
using System.Net;
using System.Text.Json;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Emulator.Query;

/// <summary>
/// The Filters (<c>OcsfFindingFilters</c>) and SortCriteria of one GetFindingsV2 request, validated and compiled to a predicate:
/// up to 10 <c>CompositeFilters</c> joined by <c>CompositeOperator</c>, each joining its own filters and <c>NestedCompositeFilters</c>
/// by its <c>Operator</c> (AND when not given).
/// </summary>
internal sealed class OcsfQuery
{
    private const int MaxCompositeFilters = 10;

    private OcsfQuery(Func<SyntheticFindings, int, bool> matches, IReadOnlyList<OcsfSortKey> sort, string cacheKey)
    {
        Matches = matches;
        Sort = sort;
        CacheKey = cacheKey;
    }

    /// <summary>Whether generated finding i passes the filters.</summary>
    public Func<SyntheticFindings, int, bool> Matches { get; }

    public IReadOnlyList<OcsfSortKey> Sort { get; }

    /// <summary>Filters and sort as canonical text: equal for requests that ask for the same result.</summary>
    public string CacheKey { get; }

    /// <summary>Reads Filters and SortCriteria; a DateRange is relative to <paramref name="nowMillis"/>. Throws <see cref="EmulatorInputException"/> as ValidationException.</summary>
    public static OcsfQuery Parse(JsonElement? filters, JsonElement? sortCriteria, long nowMillis)
    {
        Func<SyntheticFindings, int, bool> matches = static (_, _) => true;
        if (filters is { ValueKind: not JsonValueKind.Null } f)
        {
            if (f.ValueKind != JsonValueKind.Object)
            {
                throw new EmulatorInputException("Filters must be an object (OcsfFindingFilters) with CompositeFilters and CompositeOperator.");
            }

            var composites = new List<Func<SyntheticFindings, int, bool>>();
            string op = "AND";
            foreach (var property in f.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "CompositeFilters":
                        var list = Array(property.Value, "Filters.CompositeFilters");
                        if (list.Count > MaxCompositeFilters)
                        {
                            throw new EmulatorInputException($"Filters.CompositeFilters has {list.Count} entries; at most {MaxCompositeFilters} are allowed.");
                        }

                        composites.AddRange(list.Select((c, k) => Composite(c, $"Filters.CompositeFilters[{k}]", nowMillis)));
                        break;
                    case "CompositeOperator":
                        op = Operator(property.Value, "Filters.CompositeOperator");
                        break;
                    default:
                        throw new EmulatorInputException($"Filters.{property.Name} is not a member of OcsfFindingFilters (CompositeFilters, CompositeOperator).");
                }
            }

            matches = Combine(composites, op);
        }

        var sort = ParseSort(sortCriteria);
        var key = "v2|" + (filters is { } fk ? fk.GetRawText() : "null") + "|" + (sortCriteria is { } sk ? sk.GetRawText() : "null");
        return new OcsfQuery(matches, sort, key);
    }

    private static Func<SyntheticFindings, int, bool> Composite(JsonElement composite, string path, long nowMillis)
    {
        if (composite.ValueKind != JsonValueKind.Object)
        {
            throw new EmulatorInputException($"{path} must be a CompositeFilter object.");
        }

        var conditions = new List<Func<SyntheticFindings, int, bool>>();
        var op = "AND";
        foreach (var property in composite.EnumerateObject())
        {
            var at = path + "." + property.Name;
            switch (property.Name)
            {
                case "StringFilters":
                    conditions.AddRange(Each(property.Value, at, OcsfFieldNames.Strings, "OcsfStringField", StringCondition));
                    break;
                case "DateFilters":
                    conditions.AddRange(Each(property.Value, at, OcsfFieldNames.Dates, "OcsfDateField", (field, filter, p) => DateCondition(field, filter, p, nowMillis)));
                    break;
                case "NumberFilters":
                    conditions.AddRange(Each(property.Value, at, OcsfFieldNames.Numbers, "OcsfNumberField", NumberCondition));
                    break;
                case "BooleanFilters":
                    conditions.AddRange(Each(property.Value, at, OcsfFieldNames.Booleans, "OcsfBooleanField", BooleanCondition));
                    break;
                case "MapFilters":
                    conditions.AddRange(Each(property.Value, at, OcsfFieldNames.Maps, "OcsfMapField", MapCondition));
                    break;
                case "IpFilters":
                    conditions.AddRange(Each(property.Value, at, OcsfFieldNames.Ips, "OcsfIpField", IpCondition));
                    break;
                case "NestedCompositeFilters":
                    conditions.AddRange(Array(property.Value, at).Select((c, k) => Composite(c, $"{at}[{k}]", nowMillis)));
                    break;
                case "Operator":
                    op = Operator(property.Value, at);
                    break;
                default:
                    throw new EmulatorInputException($"{at} is not a member of CompositeFilter (StringFilters, DateFilters, BooleanFilters, NumberFilters, MapFilters, IpFilters, NestedCompositeFilters, Operator).");
            }
        }

        return Combine(conditions, op);
    }

    private static Func<SyntheticFindings, int, bool> Combine(List<Func<SyntheticFindings, int, bool>> conditions, string op)
    {
        var all = conditions.ToArray();
        if (all.Length == 0)
        {
            return static (_, _) => true;
        }

        return op == "OR"
            ? (s, i) => all.Any(c => c(s, i))
            : (s, i) => all.All(c => c(s, i));
    }

    private static IEnumerable<Func<SyntheticFindings, int, bool>> Each(
        JsonElement list, string path, IReadOnlySet<string> fields, string enumName, Func<string, JsonElement, string, Func<SyntheticFindings, int, bool>> condition)
    {
        var items = Array(list, path);
        for (var k = 0; k < items.Count; k++)
        {
            var at = $"{path}[{k}]";
            var item = items[k];
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("FieldName", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new EmulatorInputException($"{at} needs a FieldName ({enumName}).");
            }

            var field = name.GetString()!;
            if (!fields.Contains(field))
            {
                throw new EmulatorInputException($"1 validation error detected: Value '{field}' at '{at}.fieldName' failed to satisfy constraint: Member must satisfy enum value set of {enumName}.");
            }

            if (!item.TryGetProperty("Filter", out var filter) || filter.ValueKind != JsonValueKind.Object)
            {
                throw new EmulatorInputException($"{at} needs a Filter object.");
            }

            yield return condition(field, filter, at + ".Filter");
        }
    }

    private static Func<SyntheticFindings, int, bool> StringCondition(string field, JsonElement filter, string path)
    {
        var value = RequiredString(filter, "Value", path);
        var comparison = RequiredString(filter, "Comparison", path);
        Func<string, bool> test = comparison switch
        {
            "EQUALS" or "NOT_EQUALS" => v => string.Equals(v, value, StringComparison.Ordinal),
            "PREFIX" or "PREFIX_NOT_EQUALS" => v => v.StartsWith(value, StringComparison.Ordinal),
            "CONTAINS" or "NOT_CONTAINS" => v => v.Contains(value, StringComparison.Ordinal),
            "CONTAINS_WORD" => v => ContainsWord(v, value),
            _ => throw new EmulatorInputException($"{path}.Comparison '{comparison}' is not one of EQUALS, PREFIX, NOT_EQUALS, PREFIX_NOT_EQUALS, CONTAINS, NOT_CONTAINS, CONTAINS_WORD."),
        };

        // A negative comparison holds when its positive counterpart holds for no value (also when the field is absent).
        return comparison.StartsWith("NOT_", StringComparison.Ordinal) || comparison == "PREFIX_NOT_EQUALS"
            ? (s, i) => !s.OcsfStrings(field, i).Any(test)
            : (s, i) => s.OcsfStrings(field, i).Any(test);
    }

    /// <summary>CONTAINS_WORD: the value holds <paramref name="word"/> as a whole word, bounded by non-alphanumeric characters or the ends.</summary>
    internal static bool ContainsWord(string value, string word)
    {
        if (word.Length == 0)
        {
            return false;
        }

        for (var at = value.IndexOf(word, StringComparison.Ordinal); at >= 0; at = value.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(value[at - 1]);
            var after = at + word.Length == value.Length || !char.IsLetterOrDigit(value[at + word.Length]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }

    private static Func<SyntheticFindings, int, bool> DateCondition(string field, JsonElement filter, string path, long nowMillis)
    {
        var hasStart = filter.TryGetProperty("Start", out var start) && start.ValueKind != JsonValueKind.Null;
        var hasEnd = filter.TryGetProperty("End", out var end) && end.ValueKind != JsonValueKind.Null;
        var hasRange = filter.TryGetProperty("DateRange", out var range) && range.ValueKind != JsonValueKind.Null;
        long from, to;
        if (hasRange)
        {
            if (hasStart || hasEnd)
            {
                throw new EmulatorInputException($"{path}: give either Start and End, or DateRange, not both.");
            }

            if (!range.TryGetProperty("Value", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var days) || days < 0
                || !range.TryGetProperty("Unit", out var unit) || unit.ValueKind != JsonValueKind.String || unit.GetString() != "DAYS")
            {
                throw new EmulatorInputException($"{path}: DateRange needs a non-negative integer Value and Unit DAYS.");
            }

            (from, to) = (nowMillis - (days * 86_400_000L), long.MaxValue);
        }
        else if (hasStart && hasEnd)
        {
            (from, to) = (Timestamp(start, path + ".Start"), Timestamp(end, path + ".End"));
        }
        else
        {
            throw new EmulatorInputException($"{path}: a DateFilter needs both Start and End (or a DateRange){(hasStart || hasEnd ? $"; {(hasStart ? "End" : "Start")} is missing" : string.Empty)}.");
        }

        return (s, i) => s.OcsfDate(field, i) is { } t && t >= from && t <= to;
    }

    private static Func<SyntheticFindings, int, bool> NumberCondition(string field, JsonElement filter, string path)
    {
        var bounds = new List<Func<double, bool>>();
        foreach (var property in filter.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number)
            {
                throw new EmulatorInputException($"{path}.{property.Name} must be a number.");
            }

            var n = property.Value.GetDouble();
            bounds.Add(property.Name switch
            {
                "Eq" => v => v == n,
                "Gt" => v => v > n,
                "Gte" => v => v >= n,
                "Lt" => v => v < n,
                "Lte" => v => v <= n,
                _ => throw new EmulatorInputException($"{path}.{property.Name} is not a member of NumberFilter (Eq, Gt, Gte, Lt, Lte)."),
            });
        }

        if (bounds.Count == 0)
        {
            throw new EmulatorInputException($"{path}: a NumberFilter needs at least one of Eq, Gt, Gte, Lt, Lte.");
        }

        return (s, i) => s.OcsfNumber(field, i) is { } v && bounds.All(b => b(v));
    }

    private static Func<SyntheticFindings, int, bool> BooleanCondition(string field, JsonElement filter, string path)
    {
        if (!filter.TryGetProperty("Value", out var value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new EmulatorInputException($"{path}: a BooleanFilter needs a boolean Value.");
        }

        var wanted = value.GetBoolean();
        return (s, i) => s.OcsfBooleans(field, i).Contains(wanted);
    }

    private static Func<SyntheticFindings, int, bool> MapCondition(string field, JsonElement filter, string path)
    {
        var key = RequiredString(filter, "Key", path);
        var value = RequiredString(filter, "Value", path);
        var comparison = RequiredString(filter, "Comparison", path);
        Func<KeyValuePair<string, string>, bool> test = comparison switch
        {
            "EQUALS" or "NOT_EQUALS" => e => e.Key == key && e.Value == value,
            "CONTAINS" or "NOT_CONTAINS" => e => e.Key == key && e.Value.Contains(value, StringComparison.Ordinal),
            _ => throw new EmulatorInputException($"{path}.Comparison '{comparison}' is not one of EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS."),
        };
        return comparison.StartsWith("NOT_", StringComparison.Ordinal)
            ? (s, i) => !s.OcsfMap(field, i).Any(test)
            : (s, i) => s.OcsfMap(field, i).Any(test);
    }

    private static Func<SyntheticFindings, int, bool> IpCondition(string field, JsonElement filter, string path)
    {
        var cidr = RequiredString(filter, "Cidr", path);
        if (!IPNetwork.TryParse(cidr, out _))
        {
            throw new EmulatorInputException($"{path}.Cidr '{cidr}' is not a CIDR block such as 10.0.0.0/8.");
        }

        // The synthetic findings carry no evidences, so no IP is ever inside the block.
        return static (_, _) => false;
    }

    private static IReadOnlyList<OcsfSortKey> ParseSort(JsonElement? sortCriteria)
    {
        if (sortCriteria is not { ValueKind: not JsonValueKind.Null } s)
        {
            return [];
        }

        var keys = new List<OcsfSortKey>();
        foreach (var (criterion, k) in Array(s, "SortCriteria").Select((c, k) => (c, k)))
        {
            var field = criterion.ValueKind == JsonValueKind.Object ? RequiredString(criterion, "Field", $"SortCriteria[{k}]") : throw new EmulatorInputException("SortCriteria must hold {Field, SortOrder} objects.");
            var order = criterion.TryGetProperty("SortOrder", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : "asc";
            if (order is not ("asc" or "desc"))
            {
                throw new EmulatorInputException($"SortCriteria[{k}].SortOrder must be asc or desc (got '{order}').");
            }

            var kind = OcsfFieldNames.Dates.Contains(field) ? OcsfSortKind.Date
                : OcsfFieldNames.Numbers.Contains(field) ? OcsfSortKind.Number
                : OcsfFieldNames.Strings.Contains(field) ? OcsfSortKind.String
                : throw new EmulatorInputException($"SortCriteria[{k}].Field '{field}' is not a string, date or number field of GetFindingsV2.");
            keys.Add(new OcsfSortKey(field, kind, order == "desc"));
        }

        return keys;
    }

    private static List<JsonElement> Array(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : throw new EmulatorInputException($"{path} must be a list.");

    private static string Operator(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is "AND" or "OR"
            ? value.GetString()!
            : throw new EmulatorInputException($"1 validation error detected: Value {value.GetRawText()} at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR].");

    private static long Timestamp(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String || !ImportedFinding.TryParseTimestamp(value.GetString()!, out var millis))
        {
            throw new EmulatorInputException($"{path} must be an ISO 8601 timestamp such as 2026-11-20T10:15:30.123Z (got {value.GetRawText()}).");
        }

        return millis;
    }

    private static string RequiredString(JsonElement filter, string name, string path) =>
        filter.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new EmulatorInputException($"{path} needs a string {name}.");
}

/// <summary>How a GetFindingsV2 sort field compares.</summary>
internal enum OcsfSortKind
{
    String,
    Date,
    Number,
}

/// <summary>One SortCriteria entry of GetFindingsV2.</summary>
internal sealed record OcsfSortKey(string Field, OcsfSortKind Kind, bool Descending)
{
    /// <summary>Compares two generated findings by this key; missing values sort last in either direction.</summary>
    public int Compare(SyntheticFindings s, int a, int b)
    {
        int c;
        switch (Kind)
        {
            case OcsfSortKind.Date:
                c = Nullable(s.OcsfDate(Field, a), s.OcsfDate(Field, b));
                break;
            case OcsfSortKind.Number:
                c = Nullable(s.OcsfNumber(Field, a), s.OcsfNumber(Field, b));
                break;
            default:
                var x = s.OcsfStrings(Field, a) is [var xa, ..] ? xa : null;
                var y = s.OcsfStrings(Field, b) is [var yb, ..] ? yb : null;
                c = x is null || y is null ? (x is null).CompareTo(y is null) * (Descending ? -1 : 1) : string.CompareOrdinal(x, y);
                break;
        }

        return Descending ? -c : c;
    }

    private int Nullable<T>(T? x, T? y)
        where T : struct, IComparable<T> =>
        x is null || y is null ? (x is null).CompareTo(y is null) * (Descending ? -1 : 1) : x.Value.CompareTo(y.Value);
}
