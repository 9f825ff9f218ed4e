using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The Launcher Lambda: takes a <see cref="LaunchRequest"/> (empty input: a new export of every target account in the default
/// Regions), hands it to <see cref="ExportLauncher"/> and returns the <see cref="LaunchResult"/>. It stops taking new accounts two
/// minutes before its function times out and hands the rest on to a new invocation of itself, so a launch of any size completes.
/// </summary>
public sealed class LauncherFunction
{
    // Time left for the accounts already under way and for handing the rest on, after the launcher stops taking new ones.
    private static readonly TimeSpan HandOverMargin = TimeSpan.FromMinutes(2);

    private readonly Lazy<Task<ExportLauncher>> _launcher;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public LauncherFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        _launcher = new(async () => (await CentralServices.CreateAsync(options, CancellationToken.None).ConfigureAwait(false)).Launcher);
        _timeout = options.FunctionTimeout;
        _time = TimeProvider.System;
    }

    /// <summary>Uses the given launcher (tests, or hosts that wire their own) with the function timeout it would have.</summary>
    public LauncherFunction(ExportLauncher launcher, TimeSpan? functionTimeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        _launcher = new(Task.FromResult(launcher));
        _timeout = functionTimeout ?? TimeSpan.FromMinutes(15);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The Lambda handler: <see cref="LaunchRequest"/> JSON in, <see cref="LaunchResult"/> JSON out; a bad request fails the invocation with a message saying what is wrong.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        var started = _time.GetUtcNow();
        using var cts = new CancellationTokenSource(CentralOptions.BudgetFor(_timeout));
        var request = await HandlerJson.ReadAsync(input, OrchestrationJsonContext.Default.LaunchRequest, cts.Token).ConfigureAwait(false) ?? new LaunchRequest();
        var launcher = await _launcher.Value.ConfigureAwait(false);
        var stopLaunchingAt = started + _timeout - (_timeout > HandOverMargin * 2 ? HandOverMargin : _timeout / 2);
        var result = await launcher.StartAsync(request, cts.Token, stopLaunchingAt).ConfigureAwait(false);
        return HandlerJson.Write(result, OrchestrationJsonContext.Default.LaunchResult);
    }
}
