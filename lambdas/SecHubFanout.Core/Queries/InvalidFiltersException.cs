namespace SecHubFanout.Core.Queries;

/// <summary>The user's filters are not a valid Security Hub filter object; the message says what is wrong and how to fix it.</summary>
public sealed class InvalidFiltersException : Exception
{
    public InvalidFiltersException()
    {
    }

    public InvalidFiltersException(string message)
        : base(message)
    {
    }

    public InvalidFiltersException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The filter field the problem is about, when it is about one (for example <see cref="FindingFilters.WindowField"/>), so hosts can add their own advice.</summary>
    public string? Field { get; init; }
}
