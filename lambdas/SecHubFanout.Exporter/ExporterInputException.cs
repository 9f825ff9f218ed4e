namespace SecHubFanout.Exporter;

/// <summary>The exporter's input cannot be used; the message lists every problem.</summary>
public sealed class ExporterInputException : Exception
{
    public ExporterInputException()
    {
    }

    public ExporterInputException(string message)
        : base(message)
    {
    }

    public ExporterInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExporterInputException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems ?? []))
    {
    }
}
