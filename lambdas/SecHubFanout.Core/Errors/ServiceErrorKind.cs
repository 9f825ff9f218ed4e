namespace SecHubFanout.Core.Errors;

/// <summary>The few kinds of AWS service failure that the engine acts on differently.</summary>
public enum ServiceErrorKind
{
    /// <summary>The caller went over a quota (HTTP 429, TooManyRequestsException, LimitExceededException, ThrottlingException): slow down and retry.</summary>
    Throttled,

    /// <summary>A 5xx answer, a timeout or a dropped connection: retry.</summary>
    Transient,

    /// <summary>The service is not enabled for this account and Region (Security Hub: 401 InvalidAccessException).</summary>
    NotEnabled,

    /// <summary>A NextToken was rejected (expired, or the query changed): restart that page chain.</summary>
    InvalidNextToken,

    /// <summary>The request itself is wrong (other 400s): never retried.</summary>
    InvalidInput,

    /// <summary>The credentials are missing, invalid, or lack permission (403, signature errors): never retried.</summary>
    AccessDenied,

    /// <summary>The named resource does not exist (404-style answers).</summary>
    NotFound,
}
