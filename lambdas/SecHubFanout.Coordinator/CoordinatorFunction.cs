using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The Coordinator Lambda: takes one event from the central bus (a Region result or a member execution's status change), passes it
/// through the trust boundary (<see cref="BusEventGate"/>) to the coordinator and returns what it did. Refused events are answered,
/// not thrown, so EventBridge does not retry them, and counted by <see cref="RefusedEvents"/>; failures of AWS calls are thrown so the
/// event is retried (and lands in the dead-letter queue if it keeps failing).
/// </summary>
public sealed class CoordinatorFunction
{
    private readonly Lazy<Task<BusEventGate>> _gate;
    private readonly TimeSpan _budget;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public CoordinatorFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        _gate = new(async () => new BusEventGate((await CentralServices.CreateAsync(options, CancellationToken.None).ConfigureAwait(false)).Coordinator, new RefusedEvents(TimeProvider.System)));
        _budget = options.HandlerBudget;
    }

    /// <summary>Uses the given handler (tests, or hosts that wire their own).</summary>
    public CoordinatorFunction(IRegionResultHandler handler, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _gate = new(Task.FromResult(new BusEventGate(handler, new RefusedEvents(time ?? TimeProvider.System))));
        _budget = CentralOptions.BudgetFor(CentralOptions.DefaultCoordinatorTimeout);
    }

    /// <summary>The Lambda handler: EventBridge event in, <see cref="CoordinatorResponse"/> JSON out.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var cts = new CancellationTokenSource(_budget);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cts.Token).ConfigureAwait(false);
        var gate = await _gate.Value.ConfigureAwait(false);
        var outcome = await gate.HandleAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cts.Token).ConfigureAwait(false);
        var response = new CoordinatorResponse(outcome.Outcome, outcome.CompletedExport, outcome.ManifestLocation, outcome.Error);
        return HandlerJson.Write(response, CoordinatorJsonContext.Default.CoordinatorResponse);
    }
}
