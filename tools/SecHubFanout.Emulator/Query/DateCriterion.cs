using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Emulator.Query;

/// <summary>All DateFilters on one attribute, OR'ed; Start and End both inclusive.</summary>
internal sealed class DateCriterion(DateField field, IReadOnlyList<(long Start, long End)> ranges)
{
    public DateField Field { get; } = field;

    public bool Matches(long? unixMillis)
    {
        if (unixMillis is not { } t)
        {
            return false;
        }

        foreach (var (start, end) in ranges)
        {
            if (t >= start && t <= end)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One SortCriteria entry: a string or a date attribute, ascending or descending.</summary>
internal sealed record SortKey(FindingField? Field, DateField? DateField, bool Descending);
