using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>What a launch (or one invocation of a continued launch) did.</summary>
/// <param name="ExportId">The export.</param>
/// <param name="Restart">0 for a new export, n for its n-th restart.</param>
/// <param name="Regions">The Regions asked for; empty when each account exports the Regions enabled in it.</param>
/// <param name="Started">Accounts whose member state machine this invocation started.</param>
/// <param name="Failures">Accounts this invocation could not start, with the reason (also recorded in the ledger and mailed).</param>
/// <param name="Continued">True when the launch ran out of time and handed the remaining accounts on to a new invocation.</param>
public sealed record LaunchResult(
    [property: JsonPropertyName("exportId")] string ExportId,
    [property: JsonPropertyName("restart")] int Restart,
    [property: JsonPropertyName("regions")] IReadOnlyList<string> Regions,
    [property: JsonPropertyName("started")] int Started,
    [property: JsonPropertyName("failures")] IReadOnlyList<AccountLaunchResult> Failures,
    [property: JsonPropertyName("continued")] bool Continued = false)
{
    /// <summary>Accounts that could not be started.</summary>
    [JsonPropertyName("failed")]
    public int Failed => Failures.Count;
}

/// <summary>One account of a launch.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="ExecutionArn">The member execution, when started.</param>
/// <param name="Error">Why it could not be started.</param>
public sealed record AccountLaunchResult(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("executionArn")] string? ExecutionArn,
    [property: JsonPropertyName("error")] string? Error);
