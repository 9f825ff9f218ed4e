using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The Launcher Lambda: takes a <see cref="LaunchRequest"/> (empty input: a new export of every target account in the default
/// Regions), hands it to <see cref="ExportLauncher"/> and returns the <see cref="LaunchResult"/>.
/// </summary>
public sealed class LauncherFunction
{
    private readonly Lazy<Task<ExportLauncher>> _launcher;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public LauncherFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        _launcher = new(async () => (await CentralServices.CreateAsync(options, CancellationToken.None).ConfigureAwait(false)).Launcher);
    }

    /// <summary>Uses the given launcher (tests, or hosts that wire their own).</summary>
    public LauncherFunction(ExportLauncher launcher)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        _launcher = new(Task.FromResult(launcher));
    }

    /// <summary>The Lambda handler: <see cref="LaunchRequest"/> JSON in, <see cref="LaunchResult"/> JSON out; a bad request fails the invocation with a message saying what is wrong.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var cts = new CancellationTokenSource(HandlerJson.Budget);
        var request = await HandlerJson.ReadAsync(input, OrchestrationJsonContext.Default.LaunchRequest, cts.Token).ConfigureAwait(false) ?? new LaunchRequest();
        var launcher = await _launcher.Value.ConfigureAwait(false);
        var result = await launcher.StartAsync(request, cts.Token).ConfigureAwait(false);
        return HandlerJson.Write(result, OrchestrationJsonContext.Default.LaunchResult);
    }
}
