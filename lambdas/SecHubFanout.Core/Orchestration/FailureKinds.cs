using SecHubFanout.Core.Errors;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// The kinds a failed (account, Region) is grouped by in emails and status ("8,500 Regions denied GetFindings by policy"):
/// carried in a Region result's <c>failureKind</c> when the sender knows it, else derived from its error text.
/// </summary>
public static class FailureKinds
{
    /// <summary>Security Hub (or S3, KMS) denied the exporter, typically by a service control policy.</summary>
    public const string AccessDenied = "access-denied";

    /// <summary>Throttling that outlasted the retries.</summary>
    public const string Throttled = "throttled";

    /// <summary>The exporter Lambda crashed or timed out more often than the state machine retries.</summary>
    public const string ExporterCrashed = "exporter-crashed";

    /// <summary>The launcher could not start the account's member state machine.</summary>
    public const string LaunchFailed = "launch-failed";

    /// <summary>The member execution ended (failed, timed out, aborted) without sending the Region's result.</summary>
    public const string ExecutionEnded = "execution-ended";

    /// <summary>Nothing was heard of the Region before the reconciler's deadline.</summary>
    public const string Silent = "silent";

    /// <summary>Any other error.</summary>
    public const string Error = "error";

    /// <summary>Every kind, in the order emails list them.</summary>
    public static IReadOnlyList<string> All { get; } = [AccessDenied, Throttled, ExporterCrashed, LaunchFailed, ExecutionEnded, Silent, Error];

    /// <summary>The kind of an engine failure.</summary>
    public static string From(ServiceErrorKind? kind) => kind switch
    {
        ServiceErrorKind.AccessDenied => AccessDenied,
        ServiceErrorKind.Throttled => Throttled,
        _ => Error,
    };

    /// <summary>The kind a result names when it is one of <see cref="All"/>; else the kind its error text shows.</summary>
    public static string Classify(string? failureKind, string? error)
    {
        if (failureKind is not null && All.Contains(failureKind, StringComparer.Ordinal))
        {
            return failureKind;
        }

        var text = error ?? string.Empty;
        if (text.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase) || text.Contains("not authorized", StringComparison.OrdinalIgnoreCase))
        {
            return AccessDenied;
        }

        if (text.Contains("TooManyRequests", StringComparison.Ordinal) || text.Contains("Throttl", StringComparison.Ordinal))
        {
            return Throttled;
        }

        return text.StartsWith("Sandbox.", StringComparison.Ordinal) || text.StartsWith("States.Timeout", StringComparison.Ordinal)
            || text.StartsWith("Lambda.", StringComparison.Ordinal)
            ? ExporterCrashed
            : Error;
    }

    /// <summary>A human phrase for a kind in an email ("denied by policy (access-denied)").</summary>
    public static string Describe(string kind) => kind switch
    {
        AccessDenied => "denied access (for example by a service control policy)",
        Throttled => "still throttled after every retry",
        ExporterCrashed => "exporter crashed or timed out after every retry",
        LaunchFailed => "could not be started",
        ExecutionEnded => "member execution ended without a result",
        Silent => "silent past the deadline",
        _ => "failed with another error",
    };
}
