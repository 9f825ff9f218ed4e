using System.Text.Json;
using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Core.Orchestration;

/// <summary>Where refused events are counted and logged (never stored, never mailed).</summary>
public interface IRefusalLog
{
    /// <summary>Records one refused event: a short reason (the metric's dimension), the envelope as received, and why in words.</summary>
    void Refused(string reason, RegionResultEnvelope? envelope, string why);
}

/// <summary>What the gate did with one event from the central bus.</summary>
/// <param name="Outcome">applied, already-terminal, nothing-pending, ignored, or refused.</param>
/// <param name="CompletedExport">True when this event completed the export.</param>
/// <param name="ManifestLocation">The manifest, when this event completed the export.</param>
/// <param name="Error">Why the event was ignored or refused.</param>
public sealed record BusEventOutcome(string Outcome, bool CompletedExport = false, string? ManifestLocation = null, string? Error = null)
{
    /// <summary>The outcome of a refused event.</summary>
    public const string RefusedOutcome = "refused";
}

/// <summary>
/// The trust boundary of the control plane, in front of <see cref="IRegionResultHandler"/>: a Region result counts only when the
/// account EventBridge says sent it (the envelope's <c>account</c>, which nobody can forge) is the account it reports on, its source
/// and detail-type are the project's, and the export and attempt it names exist in the ledger; a member execution's status event only
/// when its execution ARN is of the member exporter in the sending account. Anything else is refused through <see cref="IRefusalLog"/>,
/// never stored and never mailed. Error text is bounded before it is stored.
/// </summary>
public sealed class BusEventGate(IRegionResultHandler handler, IRefusalLog refusals)
{
    // A member's error text is kept at this length in the ledger: enough to act on, bounded whatever a member sends.
    private const int MaxStoredError = 1000;

    private readonly IRegionResultHandler _handler = handler ?? throw new ArgumentNullException(nameof(handler));
    private readonly IRefusalLog _refusals = refusals ?? throw new ArgumentNullException(nameof(refusals));

    /// <summary>Reads an EventBridge event's bytes and handles it; malformed JSON is refused, not thrown.</summary>
    public async Task<BusEventOutcome> HandleAsync(ReadOnlyMemory<byte> eventJson, CancellationToken cancellationToken)
    {
        RegionResultEnvelope? envelope;
        try
        {
            envelope = eventJson.Span.Trim(" \t\r\n"u8).Length == 0 ? null : JsonSerializer.Deserialize(eventJson.Span, OrchestrationJsonContext.Default.RegionResultEnvelope);
        }
        catch (JsonException e)
        {
            return Refuse("malformed", null, "the event is not JSON in the EventBridge shape: " + e.Message);
        }

        return await HandleAsync(envelope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles one event from the central bus; failures of the ledger or of AWS calls are thrown (so the event is retried).</summary>
    public async Task<BusEventOutcome> HandleAsync(RegionResultEnvelope? envelope, CancellationToken cancellationToken)
    {
        if (envelope?.Detail is not { ValueKind: JsonValueKind.Object } detail)
        {
            return Refuse("malformed", envelope, "the event has no detail object");
        }

        if (envelope.Source == FanoutNames.ExecutionStatusSource && envelope.DetailType == FanoutNames.ExecutionStatusDetailType)
        {
            return await ExecutionEndedAsync(envelope, detail, cancellationToken).ConfigureAwait(false);
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

        var outcome = await _handler.HandleAsync(result, cancellationToken).ConfigureAwait(false);
        return outcome.Recorded switch
        {
            RecordOutcome.NotExpected => Refuse("not-expected", envelope, $"the ledger expects no Region {result.Region} of account {result.AccountId} in export {result.ExportId}"),
            RecordOutcome.Superseded => Refuse("superseded", envelope, $"attempt {result.Attempt} of account {result.AccountId} in export {result.ExportId} is not the account's current attempt"),
            _ => new BusEventOutcome(outcome.Recorded == RecordOutcome.Applied ? "applied" : "already-terminal", outcome.CompletedExport, outcome.ManifestLocation),
        };
    }

    private async Task<BusEventOutcome> ExecutionEndedAsync(RegionResultEnvelope envelope, JsonElement detail, CancellationToken cancellationToken)
    {
        if (detail.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() is "SUCCEEDED" or "RUNNING")
        {
            return new BusEventOutcome("ignored", Error: $"execution status {status.GetString()} needs nothing");
        }

        var ended = ExecutionEnded.TryParse(envelope.Account, detail, out var reason);
        if (ended is null)
        {
            return Refuse("execution-mismatch", envelope, reason);
        }

        var outcome = await _handler.HandleExecutionEndedAsync(ended, cancellationToken).ConfigureAwait(false);
        return outcome.Recorded switch
        {
            RecordOutcome.Applied => new BusEventOutcome("applied", outcome.CompletedExport, outcome.ManifestLocation),
            RecordOutcome.NotExpected => Refuse("not-expected", envelope, $"the ledger expects nothing of attempt {ended.Attempt} of account {ended.AccountId} in export {ended.ExportId}"),
            _ => new BusEventOutcome("nothing-pending", outcome.CompletedExport, outcome.ManifestLocation),
        };
    }

    private BusEventOutcome Refuse(string reason, RegionResultEnvelope? envelope, string why)
    {
        _refusals.Refused(reason, envelope, why);
        return new BusEventOutcome(BusEventOutcome.RefusedOutcome, Error: $"{reason}: {why}");
    }
}
