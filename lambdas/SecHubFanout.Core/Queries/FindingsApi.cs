namespace SecHubFanout.Core.Queries;

/// <summary>Which Security Hub API an export pages: its request shape, its findings' format and the table they land in.</summary>
public enum FindingsApi
{
    /// <summary><c>GetFindings</c> (<c>POST /findings</c>) of Security Hub CSPM: ASFF findings, table <c>findings</c>. The default.</summary>
    V1,

    /// <summary><c>GetFindingsV2</c> (<c>POST /findingsv2</c>) of the new Security Hub: OCSF findings, table <c>findings_ocsf</c>.</summary>
    V2,
}
