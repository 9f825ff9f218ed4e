using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>One member state machine start: which account, the execution name (idempotent per attempt), and the input.</summary>
/// <param name="AccountId">The member account.</param>
/// <param name="ExecutionName">The Step Functions execution name: the export ID, plus <c>-r&lt;n&gt;</c> for the n-th restart.</param>
/// <param name="Input">The state machine's input.</param>
public sealed record MemberExecution(string AccountId, string ExecutionName, MemberExecutionInput Input);

/// <summary>The input of a member exporter state machine.</summary>
/// <param name="ExportId">The export ID.</param>
/// <param name="AccountId">The member account (the state machine's own).</param>
/// <param name="Regions">The Regions to export.</param>
/// <param name="Filters">The Security Hub filters object, or null for all findings.</param>
/// <param name="Since">Start of the UpdatedAt range (ISO-8601), or null for everything.</param>
/// <param name="Until">End of the UpdatedAt range (ISO-8601): the export's start time.</param>
/// <param name="Attempt">0 for the export's first start, n for the account's n-th restart; every Region result carries it back.</param>
public sealed record MemberExecutionInput(
    [property: JsonPropertyName("exportId")] string ExportId,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("regions")] IReadOnlyList<string> Regions,
    [property: JsonPropertyName("filters"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filters,
    [property: JsonPropertyName("since"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Since,
    [property: JsonPropertyName("until")] DateTimeOffset Until,
    [property: JsonPropertyName("attempt")] int Attempt = 0)
{
    /// <summary>"v2" for a GetFindingsV2 export (the member state machine hands it to every Region's exporter); absent for v1.</summary>
    [JsonPropertyName("api")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Api { get; init; }
}
