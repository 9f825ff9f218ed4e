using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// The result of one (account, Region) export: the <c>detail</c> of the event a member state machine sends to the central bus
/// (source <see cref="Deployment.FanoutNames.EventSource"/>, detail-type <see cref="Deployment.FanoutNames.RegionResultDetailType"/>).
/// </summary>
/// <param name="ExportId">The export this result belongs to.</param>
/// <param name="AccountId">The member account that was exported.</param>
/// <param name="Region">The Region that was exported.</param>
/// <param name="Status">One of <see cref="RegionExportStatus.Complete"/>, <see cref="RegionExportStatus.NotEnabled"/>, <see cref="RegionExportStatus.Failed"/>.</param>
/// <param name="Findings">Findings written.</param>
/// <param name="Pages">GetFindings pages read.</param>
/// <param name="Parts">Part objects written.</param>
/// <param name="Bytes">Bytes written.</param>
/// <param name="Throttles">Throttled calls seen.</param>
/// <param name="Retries">Retried calls.</param>
/// <param name="DurationMs">Wall time of the Region's export in milliseconds.</param>
/// <param name="Error">Why the Region failed (or why it is not enabled), when it did.</param>
/// <param name="Attempt">
/// Which attempt of the account sent it: 0 for the export's first start, n for its n-th restart (the launcher's
/// <see cref="MemberExecutionInput.Attempt"/>, carried through the member state machine). The ledger ignores results of an
/// attempt that a restart has replaced.
/// </param>
/// <param name="FailureKind">
/// For a failed Region, what kind of failure it was (one of <see cref="FailureKinds"/>' values), so that failures can be grouped
/// in emails; null when unknown (the coordinator then classifies the error text).
/// </param>
/// <param name="Api">Which API the Region was paged with (<c>v2</c> for GetFindingsV2, whose partitions go to the OCSF table); null means v1.</param>
public sealed record RegionExportEvent(
    [property: JsonPropertyName("exportId")] string ExportId,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("findings")] long Findings = 0,
    [property: JsonPropertyName("pages")] long Pages = 0,
    [property: JsonPropertyName("parts")] long Parts = 0,
    [property: JsonPropertyName("bytes")] long Bytes = 0,
    [property: JsonPropertyName("throttles")] long Throttles = 0,
    [property: JsonPropertyName("retries")] long Retries = 0,
    [property: JsonPropertyName("durationMs")] long DurationMs = 0,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonPropertyName("attempt")] int Attempt = 0,
    [property: JsonPropertyName("failureKind"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailureKind = null,
    [property: JsonPropertyName("api"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Api = null)
{
    /// <summary>The API named by <see cref="Api"/> (V1 when absent).</summary>
    [JsonIgnore]
    public Queries.FindingsApi FindingsApi => Api == "v2" ? Queries.FindingsApi.V2 : Queries.FindingsApi.V1;

    /// <summary>Checks that the identifiers and the status are usable, and says what is wrong otherwise.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!ExportIds.IsValid(ExportId))
        {
            problems.Add($"exportId '{ExportId}' is not an export ID (expected yyyyMMddTHHmmssZ-xxxxxxxx)");
        }

        if (!AccountIds.IsValid(AccountId))
        {
            problems.Add($"accountId '{AccountId}' is not a 12-digit AWS account ID");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            problems.Add("region is missing");
        }

        if (Attempt < 0)
        {
            problems.Add($"attempt {Attempt} is negative (0 is the first start, n the n-th restart)");
        }

        if (Api is not (null or "v1" or "v2"))
        {
            problems.Add($"api '{Api}' is not v1 or v2");
        }

        if (!RegionExportStatus.IsTerminal(Status))
        {
            problems.Add($"status '{Status}' is not one of {RegionExportStatus.Complete}, {RegionExportStatus.NotEnabled}, {RegionExportStatus.Failed}");
        }

        return problems;
    }
}
