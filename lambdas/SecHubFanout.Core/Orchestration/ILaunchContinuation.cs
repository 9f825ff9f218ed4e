namespace SecHubFanout.Core.Orchestration;

/// <summary>Hands a launch that ran out of time on to a fresh invocation of the launcher (asynchronously).</summary>
public interface ILaunchContinuation
{
    /// <summary>Asks for <paramref name="request"/> (a <see cref="LaunchRequest.ContinueExportId"/> request) to run next.</summary>
    Task ContinueAsync(LaunchRequest request, CancellationToken cancellationToken);
}
