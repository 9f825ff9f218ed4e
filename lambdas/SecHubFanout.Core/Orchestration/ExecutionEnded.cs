using System.Text.Json;
using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Core.Orchestration;

/// <summary>A member execution that ended without success, as its forwarded Step Functions status event tells it.</summary>
/// <param name="ExportId">The export the execution belongs to.</param>
/// <param name="AccountId">The member account (the event's envelope account, which EventBridge sets).</param>
/// <param name="Attempt">The account attempt the execution ran.</param>
/// <param name="ExecutionArn">The execution.</param>
/// <param name="Status">FAILED, TIMED_OUT or ABORTED.</param>
/// <param name="Regions">The Regions of its input; empty when the input did not say (then: every pending Region of the attempt).</param>
/// <param name="Cause">The error and cause Step Functions recorded, if any.</param>
public sealed record ExecutionEnded(string ExportId, string AccountId, int Attempt, string ExecutionArn, string Status, IReadOnlyList<string> Regions, string? Cause)
{
    /// <summary>The statuses of an execution that ended without success.</summary>
    public static IReadOnlyList<string> FailedStatuses { get; } = ["FAILED", "TIMED_OUT", "ABORTED"];

    /// <summary>
    /// Reads a Step Functions "Execution Status Change" event's detail sent by <paramref name="envelopeAccount"/>. Null, with the
    /// reason, when it is not a failed execution of the member exporter in that same account with an export's input.
    /// </summary>
    public static ExecutionEnded? TryParse(string? envelopeAccount, JsonElement detail, out string reason)
    {
        reason = string.Empty;
        if (detail.ValueKind != JsonValueKind.Object)
        {
            reason = "the detail is not an object";
            return null;
        }

        var arn = Text(detail, "executionArn");
        var status = Text(detail, "status");
        if (status is null || !FailedStatuses.Contains(status, StringComparer.Ordinal))
        {
            reason = $"status '{status}' is not one of {string.Join(", ", FailedStatuses)}";
            return null;
        }

        // arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>
        var parts = arn?.Split(':') ?? [];
        if (parts.Length < 8 || parts[2] != "states" || parts[5] != "execution" || parts[6] != FanoutNames.MemberStateMachine)
        {
            reason = $"'{arn}' is not an execution of the {FanoutNames.MemberStateMachine} state machine";
            return null;
        }

        if (parts[4] != envelopeAccount)
        {
            reason = $"execution {arn} belongs to account {parts[4]}, but account {envelopeAccount} sent the event";
            return null;
        }

        MemberExecutionInput? input = null;
        if (Text(detail, "input") is { } inputText)
        {
            try
            {
                input = JsonSerializer.Deserialize(inputText, OrchestrationJsonContext.Default.MemberExecutionInput);
            }
            catch (JsonException)
            {
                input = null;
            }
        }

        if (input is null || !ExportIds.IsValid(input.ExportId) || input.Attempt < 0)
        {
            reason = $"execution {arn} has no export input (exportId, attempt)";
            return null;
        }

        if (input.AccountId is { Length: > 0 } inputAccount && inputAccount != envelopeAccount)
        {
            reason = $"execution {arn} names account {inputAccount} in its input, but account {envelopeAccount} sent the event";
            return null;
        }

        var cause = string.Join(": ", new[] { Text(detail, "error"), Text(detail, "cause") }.Where(t => !string.IsNullOrWhiteSpace(t)));
        return new ExecutionEnded(input.ExportId, envelopeAccount!, input.Attempt, arn!, status, input.Regions ?? [], cause.Length > 0 ? cause : null);
    }

    private static string? Text(JsonElement detail, string name) =>
        detail.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
