using SecHubFanout.Core.Errors;

namespace SecHubFanout.Cli.Orchestration;

/// <summary>Turns the failures of start and status into a message and an exit code scripts can trust.</summary>
internal static class CommandErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is CliUsageException or ArgumentException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (ServiceCallException e) when (e.Kind == ServiceErrorKind.AccessDenied)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Credentials;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is ServiceCallException or InvalidOperationException or Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
