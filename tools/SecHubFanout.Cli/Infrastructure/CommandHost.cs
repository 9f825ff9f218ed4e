using Amazon.Runtime;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Cli.Infrastructure;

/// <summary>
/// Runs every command's body and turns what can go wrong into one short message on stderr and an exit code from
/// <see cref="ExitCodes"/>; never a stack trace unless SECHUB_FANOUT_DEBUG=1.
/// </summary>
internal static class CommandHost
{
    /// <summary>The environment variable that adds the stack trace to every error.</summary>
    public const string DebugVariable = "SECHUB_FANOUT_DEBUG";

    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            return await FailAsync(e, ExitCodeOf(e)).ConfigureAwait(false);
        }
    }

    /// <summary>The one mapping of a failure to an exit code, for every command.</summary>
    public static int ExitCodeOf(Exception e) => e switch
    {
        UsageException => ExitCodes.Usage,
        ServiceCallException { Kind: ServiceErrorKind.InvalidInput } => ExitCodes.Usage,
        ServiceCallException { Kind: ServiceErrorKind.AccessDenied } => ExitCodes.Credentials,
        AmazonServiceException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } => ExitCodes.Credentials,
        _ => ExitCodes.Failed,
    };

    /// <summary>Whether SECHUB_FANOUT_DEBUG asks for stack traces.</summary>
    public static bool Debug => Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true";

    private static async Task<int> FailAsync(Exception e, int exitCode)
    {
        var known = e is UsageException or ServiceCallException or AmazonServiceException or AmazonClientException or IOException
            or UnauthorizedAccessException or HttpRequestException or InvalidOperationException or OperationCanceledException;
        var message = known ? e.Message : $"{e.GetType().Name}: {e.Message} (unexpected; {DebugVariable}=1 shows where)";
        await Console.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
        if (Debug)
        {
            await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
        }

        return exitCode;
    }
}
