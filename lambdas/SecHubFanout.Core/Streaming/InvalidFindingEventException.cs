namespace SecHubFanout.Core.Streaming;

/// <summary>A streamed message that cannot be written (not a Security Hub finding event, or a finding that cannot become a row); it is reported, never written.</summary>
public sealed class InvalidFindingEventException : Exception
{
    public InvalidFindingEventException()
    {
    }

    public InvalidFindingEventException(string message)
        : base(message)
    {
    }

    public InvalidFindingEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
