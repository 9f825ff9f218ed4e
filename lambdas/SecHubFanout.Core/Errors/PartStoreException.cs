namespace SecHubFanout.Core.Errors;

/// <summary>A finished part the sink would not store, after the engine's own retries: the sink's side of a failed Region.</summary>
public sealed class PartStoreException : Exception
{
    public PartStoreException()
    {
    }

    public PartStoreException(string message)
        : base(message)
    {
    }

    public PartStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the part at <paramref name="location"/> that failed with <paramref name="cause"/>.</summary>
    public PartStoreException(string location, int retries, ServiceCallException cause)
        : base(Describe(location, retries, cause), cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        Location = location;
        Cause = cause;
    }

    /// <summary>Where the part was to be stored (a path, or <c>s3://bucket/key</c>).</summary>
    public string? Location { get; }

    /// <summary>The sink's last failure.</summary>
    public ServiceCallException? Cause { get; }

    private static string Describe(string location, int retries, ServiceCallException cause) =>
        cause.IsRetryable
            ? $"Storing part {location} still failed after {retries} retries ({cause.ErrorCode ?? cause.Kind.ToString()}): {cause.Message}"
            : $"Storing part {location} failed ({cause.ErrorCode ?? cause.Kind.ToString()}): {cause.Message}";
}
