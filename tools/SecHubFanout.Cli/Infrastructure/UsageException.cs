namespace SecHubFanout.Cli.Infrastructure;

/// <summary>Bad input found before any work started: the message says what is wrong and how to fix it (exit code 2).</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
