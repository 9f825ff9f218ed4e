using System.Text.Json;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Emulator.Query;

/// <summary>The Filters and SortCriteria of one GetFindings request, validated as Security Hub validates them.</summary>
internal sealed class FindingQuery
{
    private static readonly string[] _positive = ["EQUALS", "PREFIX", "CONTAINS"];
    private static readonly Dictionary<string, string> _negativeToPositive = new(StringComparer.Ordinal)
    {
        ["NOT_EQUALS"] = "EQUALS",
        ["PREFIX_NOT_EQUALS"] = "PREFIX",
        ["NOT_CONTAINS"] = "CONTAINS",
    };

    private FindingQuery(IReadOnlyList<StringCriterion> strings, IReadOnlyList<DateCriterion> dates, IReadOnlyList<SortKey> sort, string cacheKey)
    {
        Strings = strings;
        Dates = dates;
        Sort = sort;
        CacheKey = cacheKey;
    }

    public IReadOnlyList<StringCriterion> Strings { get; }

    public IReadOnlyList<DateCriterion> Dates { get; }

    public IReadOnlyList<SortKey> Sort { get; }

    /// <summary>Filters and sort as canonical text: equal for requests that ask for the same result.</summary>
    public string CacheKey { get; }

    /// <summary>Reads Filters (AwsSecurityFindingFilters) and SortCriteria; DateRange is relative to <paramref name="nowMillis"/>.</summary>
    public static FindingQuery Parse(JsonElement? filters, JsonElement? sortCriteria, long nowMillis)
    {
        var strings = new List<StringCriterion>();
        var dates = new List<DateCriterion>();
        if (filters is { ValueKind: not JsonValueKind.Null } f)
        {
            if (f.ValueKind != JsonValueKind.Object)
            {
                throw new EmulatorInputException("Filters must be an object (AwsSecurityFindingFilters).");
            }

            foreach (var property in f.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new EmulatorInputException($"Filters.{property.Name} must be a list of filters.");
                }

                if (Enum.TryParse<FindingField>(property.Name, ignoreCase: false, out var field) && Enum.IsDefined(field))
                {
                    if (ParseString(field, property.Value) is { } criterion)
                    {
                        strings.Add(criterion);
                    }
                }
                else if (Enum.TryParse<DateField>(property.Name, ignoreCase: false, out var dateField) && Enum.IsDefined(dateField))
                {
                    if (ParseDate(dateField, property.Value, nowMillis) is { } criterion)
                    {
                        dates.Add(criterion);
                    }
                }
                else
                {
                    throw new EmulatorInputException($"Filters.{property.Name} is not a filter this emulator supports; supported: {string.Join(", ", Enum.GetNames<FindingField>().Concat(Enum.GetNames<DateField>()))}.");
                }
            }
        }

        var sort = ParseSort(sortCriteria);
        var key = (filters is { } fk ? fk.GetRawText() : "null") + "|" + (sortCriteria is { } sk ? sk.GetRawText() : "null");
        return new FindingQuery(strings, dates, sort, key);
    }

    private static StringCriterion? ParseString(FindingField field, JsonElement list)
    {
        var positive = new List<(string, string)>();
        var negative = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in list.EnumerateArray())
        {
            var comparison = RequiredString(filter, field, "Comparison");
            var value = RequiredString(filter, field, "Value");
            if (_positive.Contains(comparison))
            {
                positive.Add((comparison, value));
            }
            else if (_negativeToPositive.TryGetValue(comparison, out var counterpart))
            {
                negative.Add((counterpart, value));
            }
            else
            {
                throw new EmulatorInputException($"Filters.{field}: Comparison '{comparison}' is not one of EQUALS, PREFIX, NOT_EQUALS, PREFIX_NOT_EQUALS, CONTAINS, NOT_CONTAINS.");
            }

            seen.Add(comparison);
        }

        // Combinations the API reference says return an error.
        if (seen.Contains("CONTAINS") && seen.Count > 1)
        {
            throw new EmulatorInputException($"Filters.{field}: CONTAINS filters can only be used with other CONTAINS filters.");
        }

        if (seen.Contains("NOT_CONTAINS") && seen.Count > 1)
        {
            throw new EmulatorInputException($"Filters.{field}: NOT_CONTAINS filters can only be used with other NOT_CONTAINS filters.");
        }

        if (seen.Contains("EQUALS") && (seen.Contains("NOT_EQUALS") || seen.Contains("PREFIX_NOT_EQUALS")))
        {
            throw new EmulatorInputException($"Filters.{field}: an EQUALS filter cannot be combined with NOT_EQUALS or PREFIX_NOT_EQUALS on the same field.");
        }

        return positive.Count + negative.Count == 0 ? null : new StringCriterion(field, positive, negative);
    }

    private static DateCriterion? ParseDate(DateField field, JsonElement list, long nowMillis)
    {
        var ranges = new List<(long Start, long End)>();
        foreach (var filter in list.EnumerateArray())
        {
            if (filter.ValueKind != JsonValueKind.Object)
            {
                throw new EmulatorInputException($"Filters.{field} must hold DateFilter objects.");
            }

            var hasStart = filter.TryGetProperty("Start", out var start) && start.ValueKind != JsonValueKind.Null;
            var hasEnd = filter.TryGetProperty("End", out var end) && end.ValueKind != JsonValueKind.Null;
            var hasRange = filter.TryGetProperty("DateRange", out var range) && range.ValueKind != JsonValueKind.Null;
            if (hasRange && (hasStart || hasEnd))
            {
                throw new EmulatorInputException($"Filters.{field}: give either Start and End, or DateRange, not both.");
            }

            if (hasRange)
            {
                if (!range.TryGetProperty("Value", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var days) || days < 0
                    || !range.TryGetProperty("Unit", out var unit) || unit.ValueKind != JsonValueKind.String || unit.GetString() != "DAYS")
                {
                    throw new EmulatorInputException($"Filters.{field}: DateRange needs a non-negative integer Value and Unit DAYS.");
                }

                ranges.Add((nowMillis - (days * 86_400_000L), long.MaxValue));
                continue;
            }

            if (hasStart != hasEnd)
            {
                throw new EmulatorInputException($"Filters.{field}: a DateFilter needs both Start and End (or a DateRange); {(hasStart ? "End" : "Start")} is missing.");
            }

            if (!hasStart)
            {
                throw new EmulatorInputException($"Filters.{field}: a DateFilter needs Start and End, or DateRange.");
            }

            ranges.Add((Timestamp(field, "Start", start), Timestamp(field, "End", end)));
        }

        return ranges.Count == 0 ? null : new DateCriterion(field, ranges);
    }

    private static long Timestamp(DateField field, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || !ImportedFinding.TryParseTimestamp(value.GetString()!, out var millis))
        {
            throw new EmulatorInputException($"Filters.{field}.{name} must be an ISO 8601 timestamp such as 2026-11-20T10:15:30.123Z (got {value.GetRawText()}).");
        }

        return millis;
    }

    private static IReadOnlyList<SortKey> ParseSort(JsonElement? sortCriteria)
    {
        if (sortCriteria is not { ValueKind: not JsonValueKind.Null } s)
        {
            return [];
        }

        if (s.ValueKind != JsonValueKind.Array)
        {
            throw new EmulatorInputException("SortCriteria must be a list of {Field, SortOrder}.");
        }

        var keys = new List<SortKey>();
        foreach (var criterion in s.EnumerateArray())
        {
            if (criterion.ValueKind != JsonValueKind.Object || !criterion.TryGetProperty("Field", out var f) || f.ValueKind != JsonValueKind.String)
            {
                throw new EmulatorInputException("SortCriteria: every entry needs a Field.");
            }

            var order = criterion.TryGetProperty("SortOrder", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : "asc";
            if (order is not ("asc" or "desc"))
            {
                throw new EmulatorInputException($"SortCriteria: SortOrder must be asc or desc (got '{order}').");
            }

            var name = f.GetString()!;
            if (Enum.TryParse<FindingField>(name, false, out var field) && Enum.IsDefined(field))
            {
                keys.Add(new SortKey(field, null, order == "desc"));
            }
            else if (Enum.TryParse<DateField>(name, false, out var dateField) && Enum.IsDefined(dateField))
            {
                keys.Add(new SortKey(null, dateField, order == "desc"));
            }
            else
            {
                throw new EmulatorInputException($"SortCriteria: Field '{name}' is not one this emulator sorts on; supported: {string.Join(", ", Enum.GetNames<FindingField>().Concat(Enum.GetNames<DateField>()))}.");
            }
        }

        return keys;
    }

    private static string RequiredString(JsonElement filter, FindingField field, string name) =>
        filter.ValueKind == JsonValueKind.Object && filter.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new EmulatorInputException($"Filters.{field}: every StringFilter needs a string {name}.");
}
