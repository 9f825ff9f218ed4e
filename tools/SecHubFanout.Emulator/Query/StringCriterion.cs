using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Emulator.Query;

/// <summary>
/// All StringFilters on one attribute: CONTAINS/EQUALS/PREFIX are OR'ed, NOT_CONTAINS/NOT_EQUALS/PREFIX_NOT_EQUALS AND'ed
/// (StringFilter, Security Hub API reference). Negative comparisons are held as their positive counterpart (NOT_EQUALS as EQUALS, ...).
/// </summary>
internal sealed class StringCriterion(FindingField field, IReadOnlyList<(string Comparison, string Value)> positive, IReadOnlyList<(string Comparison, string Value)> negative)
{
    public FindingField Field { get; } = field;

    /// <summary>Whether a finding with these values (none when the attribute is absent) passes.</summary>
    public bool Matches(ReadOnlySpan<string> values)
    {
        if (positive.Count > 0)
        {
            var any = false;
            foreach (var value in values)
            {
                foreach (var (comparison, wanted) in positive)
                {
                    if (Compare(comparison, value, wanted))
                    {
                        any = true;
                        break;
                    }
                }

                if (any)
                {
                    break;
                }
            }

            if (!any)
            {
                return false;
            }
        }

        foreach (var (comparison, unwanted) in negative)
        {
            foreach (var value in values)
            {
                // A negative comparison fails when its positive counterpart holds for any value.
                if (Compare(comparison, value, unwanted))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Compare(string comparison, string value, string wanted) => comparison switch
    {
        "EQUALS" => string.Equals(value, wanted, StringComparison.Ordinal),
        "PREFIX" => value.StartsWith(wanted, StringComparison.Ordinal),
        "CONTAINS" => value.Contains(wanted, StringComparison.Ordinal),
        _ => throw new InvalidOperationException("unknown comparison " + comparison),
    };
}
