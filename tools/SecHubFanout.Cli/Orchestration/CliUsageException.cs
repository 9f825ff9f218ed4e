namespace SecHubFanout.Cli.Orchestration;

/// <summary>Bad command-line input found after parsing: printed as "error: ..." with exit code 2.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
