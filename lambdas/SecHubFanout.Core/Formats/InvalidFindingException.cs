namespace SecHubFanout.Core.Formats;

/// <summary>A finding whose JSON cannot be turned into a row (malformed JSON, invalid UTF-8, a field of the wrong type); nothing is written for it.</summary>
public sealed class InvalidFindingException : Exception
{
    public InvalidFindingException()
    {
    }

    public InvalidFindingException(string message)
        : base(message)
    {
    }

    public InvalidFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidFindingException(int position, string problem, Exception? innerException = null)
        : base($"The finding at position {position} of the part (0-based) cannot be exported: {problem}. The finding's JSON must be the object Security Hub returned, unchanged.", innerException)
    {
        Position = position;
    }

    /// <summary>The finding's 0-based position in its part, or -1 when unknown.</summary>
    public int Position { get; } = -1;
}
