using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>What a launch did: the export ID and, per account, the started execution or the reason it could not start.</summary>
/// <param name="ExportId">The export ID (new, or the restarted one).</param>
/// <param name="Restart">0 for a new export, else the restart's number.</param>
/// <param name="Regions">The Regions each account exports.</param>
/// <param name="Accounts">One entry per account, ordered by account ID.</param>
public sealed record LaunchResult(
    [property: JsonPropertyName("exportId")] string ExportId,
    [property: JsonPropertyName("restart")] int Restart,
    [property: JsonPropertyName("regions")] IReadOnlyList<string> Regions,
    [property: JsonPropertyName("accounts")] IReadOnlyList<AccountLaunchResult> Accounts)
{
    /// <summary>Accounts that were started.</summary>
    [JsonPropertyName("started")]
    public int Started => Accounts.Count(a => a.Error is null);

    /// <summary>Accounts that could not be started.</summary>
    [JsonPropertyName("failed")]
    public int Failed => Accounts.Count(a => a.Error is not null);
}

/// <summary>One account's launch: its execution ARN, or the reason it could not be started.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="ExecutionArn">The started execution.</param>
/// <param name="Error">Why it could not be started.</param>
public sealed record AccountLaunchResult(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("executionArn")] string? ExecutionArn,
    [property: JsonPropertyName("error")] string? Error);
