using System.Text.Json;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The Coordinator Lambda: takes one event from the central bus, either a Region result or a member execution's status change, and
/// hands it to <see cref="IRegionResultHandler"/>. It is the trust boundary of the control plane: a Region result counts only when
/// the account EventBridge says sent it (the envelope's <c>account</c>, which nobody can forge) is the account it reports on, and the
/// export and attempt it names exist in the ledger; anything else is refused (counted and logged by <see cref="RefusedEvents"/>),
/// never stored and never mailed. Refused events are answered, not thrown, so EventBridge does not retry them; failures of AWS
/// calls are thrown so the event is retried (and lands in the dead-letter queue if it keeps failing).
/// </summary>
public sealed class CoordinatorFunction
{
    // A member's error text is kept at this length in the ledger: enough to act on, bounded whatever a member sends.
    private const int MaxStoredError = 1000;

    private readonly Lazy<Task<IRegionResultHandler>> _handler;
    private readonly TimeSpan _budget;
    private readonly TimeProvider _time;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public CoordinatorFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        _handler = new(async () => (await CentralServices.CreateAsync(options, CancellationToken.None).ConfigureAwait(false)).Coordinator);
        _budget = options.HandlerBudget;
        _time = TimeProvider.System;
    }

    /// <summary>Uses the given handler (tests, or hosts that wire their own).</summary>
    public CoordinatorFunction(IRegionResultHandler handler, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = new(Task.FromResult(handler));
        _budget = CentralOptions.BudgetFor(CentralOptions.DefaultCoordinatorTimeout);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The Lambda handler: EventBridge event in, <see cref="CoordinatorResponse"/> JSON out.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var cts = new CancellationTokenSource(_budget);
        RegionResultEnvelope? envelope;
        try
        {
            envelope = await HandlerJson.ReadAsync(input, OrchestrationJsonContext.Default.RegionResultEnvelope, cts.Token).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Refuse("malformed", null, "the event is not JSON in the EventBridge shape: " + e.Message);
        }

        if (envelope?.Detail is not { ValueKind: JsonValueKind.Object } detail)
        {
            return Refuse("malformed", envelope, "the event has no detail object");
        }

        if (envelope.Source == FanoutNames.ExecutionStatusSource && envelope.DetailType == FanoutNames.ExecutionStatusDetailType)
        {
            return await ExecutionEndedAsync(envelope, detail, cts.Token).ConfigureAwait(false);
        }

        if (envelope.Source != FanoutNames.EventSource || envelope.DetailType != FanoutNames.RegionResultDetailType)
        {
            return Refuse("foreign", envelope, $"not a Region result or execution status (source '{envelope.Source}', detail-type '{envelope.DetailType}')");
        }

        RegionExportEvent? result;
        try
        {
            result = detail.Deserialize(OrchestrationJsonContext.Default.RegionExportEvent);
        }
        catch (JsonException e)
        {
            return Refuse("malformed", envelope, "the detail is not a Region result: " + e.Message);
        }

        if (result is null)
        {
            return Refuse("malformed", envelope, "the detail is not a Region result");
        }

        var problems = result.Validate();
        if (problems.Count > 0)
        {
            return Refuse("malformed", envelope, string.Join("; ", problems));
        }

        if (envelope.Account != result.AccountId)
        {
            return Refuse("account-mismatch", envelope, $"account {envelope.Account} sent a result for account {result.AccountId}: an account may only report on itself");
        }

        if (result.Error is { Length: > MaxStoredError } error)
        {
            result = result with { Error = error[..MaxStoredError] + "..." };
        }

        var handler = await _handler.Value.ConfigureAwait(false);
        var outcome = await handler.HandleAsync(result, cts.Token).ConfigureAwait(false);
        return outcome.Recorded switch
        {
            RecordOutcome.NotExpected => Refuse("not-expected", envelope, $"the ledger expects no Region {result.Region} of account {result.AccountId} in export {result.ExportId}"),
            RecordOutcome.Superseded => Refuse("superseded", envelope, $"attempt {result.Attempt} of account {result.AccountId} in export {result.ExportId} was replaced by a restart"),
            _ => Respond(new CoordinatorResponse(outcome.Recorded == RecordOutcome.Applied ? "applied" : "already-terminal", outcome.CompletedExport, outcome.ManifestLocation)),
        };
    }

    private async Task<Stream> ExecutionEndedAsync(RegionResultEnvelope envelope, JsonElement detail, CancellationToken cancellationToken)
    {
        if (detail.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() is "SUCCEEDED" or "RUNNING")
        {
            return Respond(new CoordinatorResponse("ignored", Error: $"execution status {status.GetString()} needs nothing"));
        }

        var ended = ExecutionEnded.TryParse(envelope.Account, detail, out var reason);
        if (ended is null)
        {
            return Refuse("execution-mismatch", envelope, reason);
        }

        var handler = await _handler.Value.ConfigureAwait(false);
        var outcome = await handler.HandleExecutionEndedAsync(ended, cancellationToken).ConfigureAwait(false);
        return outcome.Recorded == RecordOutcome.NotExpected
            ? Refuse("not-expected", envelope, $"the ledger expects nothing of execution {ended.ExecutionArn}")
            : Respond(new CoordinatorResponse(outcome.Recorded == RecordOutcome.Applied ? "applied" : "nothing-pending", outcome.CompletedExport, outcome.ManifestLocation));
    }

    private Stream Refuse(string reason, RegionResultEnvelope? envelope, string why)
    {
        var detail = envelope?.Detail is { } d ? d.GetRawText() : string.Empty;
        RefusedEvents.Record(reason, envelope?.Id, envelope?.Source, envelope?.Account, detail, _time.GetUtcNow());
        return Respond(new CoordinatorResponse("refused", Error: $"{reason}: {why}"));
    }

    private static Stream Respond(CoordinatorResponse response) => HandlerJson.Write(response, CoordinatorJsonContext.Default.CoordinatorResponse);
}
