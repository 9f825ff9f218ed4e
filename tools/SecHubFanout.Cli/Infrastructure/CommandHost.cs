using SecHubFanout.Core.Errors;

namespace SecHubFanout.Cli.Infrastructure;

/// <summary>
/// Runs a command body and turns what can go wrong into one short message on stderr and an exit code scripts can trust;
/// never a stack trace (set SECHUB_FANOUT_DEBUG=1 to see one).
/// </summary>
internal static class CommandHost
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return await FailAsync(e, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (ServiceCallException e) when (e.Kind is ServiceErrorKind.AccessDenied)
        {
            return await FailAsync(e, ExitCodes.Credentials).ConfigureAwait(false);
        }
        catch (ServiceCallException e) when (e.Kind is ServiceErrorKind.InvalidInput)
        {
            return await FailAsync(e, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (ServiceCallException e)
        {
            return await FailAsync(e, ExitCodes.Failed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (IOException e)
        {
            return await FailAsync(e, ExitCodes.Failed).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            return await FailAsync(e, ExitCodes.Failed).ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(Exception e, int exitCode)
    {
        await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable("SECHUB_FANOUT_DEBUG") == "1")
        {
            await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
        }

        return exitCode;
    }
}
