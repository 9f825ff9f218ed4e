namespace SecHubFanout.TestSupport;

/// <summary>No headless Chromium on this machine; the message says how to get one.</summary>
public sealed class ChromiumMissingException : Exception
{
    public ChromiumMissingException()
    {
    }

    public ChromiumMissingException(string message)
        : base(message)
    {
    }

    public ChromiumMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>None: the message is the whole story, so a failing test shows one line.</summary>
    public override string? StackTrace => null;
}
