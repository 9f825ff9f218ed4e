namespace SecHubFanout.Core.Errors;

/// <summary>A failed AWS call, classified so that callers can retry, restart, skip or stop; the message says what happened and what to do.</summary>
public sealed class ServiceCallException : Exception
{
    public ServiceCallException()
    {
    }

    public ServiceCallException(string message)
        : base(message)
    {
    }

    public ServiceCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServiceCallException(ServiceErrorKind kind, string message, string? errorCode = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>What kind of failure this is.</summary>
    public ServiceErrorKind Kind { get; } = ServiceErrorKind.Transient;

    /// <summary>The service's error code (for example <c>TooManyRequestsException</c>), when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The HTTP status code, when there was an answer.</summary>
    public int? StatusCode { get; }

    /// <summary>True for the kinds that a retry with backoff can fix (throttling and transient faults).</summary>
    public bool IsRetryable => Kind is ServiceErrorKind.Throttled or ServiceErrorKind.Transient;
}
