using System.Text.Json;

namespace SecHubFanout.Exporter;

/// <summary>
/// One invocation's input, as the member state machine sends it: which export and Region, the filters and time range, the
/// checkpoint of the previous invocation (absent on the first), and where to write.
/// </summary>
/// <param name="ExportId">The export ID (names the parts).</param>
/// <param name="AccountId">The member account; when absent, the caller's account from STS.</param>
/// <param name="Region">The one Region this invocation exports.</param>
/// <param name="Filters">The Security Hub filters object (GetFindingsV2's OcsfFindingFilters when <paramref name="Api"/> is v2), or null for every finding.</param>
/// <param name="Since">Only findings updated at or after this instant; null for everything.</param>
/// <param name="Until">The export's pinned end (inclusive).</param>
/// <param name="Checkpoint">The previous invocation's checkpoint; null to start the Region.</param>
/// <param name="Counts">The previous invocation's counts (throttles, retries and duration add up across invocations); optional.</param>
/// <param name="Destination">The central bucket, the key root and the KMS key.</param>
/// <param name="ExecutionStartTime">When the state machine execution that invokes this started (<c>$$.Execution.StartTime</c>); with <paramref name="HandOverAfterSeconds"/>, tells when to hand the Region over to a new execution.</param>
/// <param name="HandOverAfterSeconds">How long after <paramref name="ExecutionStartTime"/> an unfinished Region asks to continue in a new execution (<see cref="ExporterOutput.HandOver"/>) instead of invoking again in this one.</param>
/// <param name="Api">v1 (GetFindings, ASFF, default) or v2 (GetFindingsV2, OCSF: windows over finding_info.modified_time_dt, parts below findings/account_id=A/ocsf/).</param>
public sealed record ExporterInput(
    string? ExportId,
    string? AccountId,
    string? Region,
    JsonElement? Filters,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    JsonElement? Checkpoint,
    ExporterCounts? Counts,
    ExporterDestination? Destination,
    DateTimeOffset? ExecutionStartTime = null,
    int? HandOverAfterSeconds = null,
    string? Api = null);

/// <summary>Where the parts go.</summary>
/// <param name="Bucket">The central findings bucket.</param>
/// <param name="Prefix">The key root of the findings tree, ending in <c>findings/</c> (the bucket policy confines members below <c>findings/account_id=&lt;account&gt;/</c>).</param>
/// <param name="KmsKeyArn">The central KMS key every part is encrypted with (SSE-KMS).</param>
public sealed record ExporterDestination(string? Bucket, string? Prefix, string? KmsKeyArn);
