using System.Text.Json;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The Coordinator Lambda: takes one EventBridge event carrying a Region result, hands it to <see cref="ExportCoordinator"/>
/// and returns what it did. Malformed or foreign events are answered, not thrown, so EventBridge does not retry them forever;
/// failures of AWS calls are thrown so the event is retried.
/// </summary>
public sealed class CoordinatorFunction
{
    private readonly Lazy<Task<IRegionResultHandler>> _handler;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public CoordinatorFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        _handler = new(async () => (await CentralServices.CreateAsync(options, CancellationToken.None).ConfigureAwait(false)).Coordinator);
    }

    /// <summary>Uses the given handler (tests, or hosts that wire their own).</summary>
    public CoordinatorFunction(IRegionResultHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = new(Task.FromResult(handler));
    }

    /// <summary>The Lambda handler: EventBridge event in, <see cref="CoordinatorResponse"/> JSON out.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var cts = new CancellationTokenSource(HandlerJson.Budget);
        RegionResultEnvelope? envelope;
        try
        {
            envelope = await HandlerJson.ReadAsync(input, OrchestrationJsonContext.Default.RegionResultEnvelope, cts.Token).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Respond(new CoordinatorResponse("rejected", Error: "the event is not JSON in the EventBridge shape: " + e.Message));
        }

        if (envelope?.Source != FanoutNames.EventSource || envelope.DetailType != FanoutNames.RegionResultDetailType || envelope.Detail is null)
        {
            return Respond(new CoordinatorResponse("ignored", Error: $"not a Region result (source '{envelope?.Source}', detail-type '{envelope?.DetailType}')"));
        }

        var problems = envelope.Detail.Validate();
        if (problems.Count > 0)
        {
            return Respond(new CoordinatorResponse("rejected", Error: string.Join("; ", problems)));
        }

        var handler = await _handler.Value.ConfigureAwait(false);
        var outcome = await handler.HandleAsync(envelope.Detail, cts.Token).ConfigureAwait(false);
        var name = outcome.Recorded switch
        {
            RecordOutcome.Applied => "applied",
            RecordOutcome.AlreadyTerminal => "already-terminal",
            RecordOutcome.Superseded => "superseded",
            _ => "not-expected",
        };
        return Respond(new CoordinatorResponse(name, outcome.CompletedExport, outcome.ManifestLocation));
    }

    private static Stream Respond(CoordinatorResponse response) => HandlerJson.Write(response, CoordinatorJsonContext.Default.CoordinatorResponse);
}
