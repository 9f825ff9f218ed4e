namespace SecHubFanout.Core.Deployment;

/// <summary>
/// Names shared by the CDK stacks and the code that runs in them, so that the central launcher can find a member's
/// resources (roles, state machine) from an account ID alone, and the bucket policy can name the exporter role.
/// </summary>
public static class FanoutNames
{
    /// <summary>The member exporter's state machine (ARN: arn:aws:states:&lt;region&gt;:&lt;account&gt;:stateMachine:&lt;this&gt;).</summary>
    public const string MemberStateMachine = "sechub-fanout-exporter";

    /// <summary>The member role the central launcher assumes to start an export (states:StartExecution only).</summary>
    public const string TriggerRole = "SecHubFanoutTrigger";

    /// <summary>The member exporter Lambda's role: the only member principal the findings bucket lets write.</summary>
    public const string ExporterRole = "SecHubFanoutExporter";

    /// <summary>The central launcher Lambda's role, the only principal the member TriggerRole trusts.</summary>
    public const string LauncherRole = "SecHubFanoutLauncher";

    /// <summary>The EventBridge <c>source</c> of every event the exporters send.</summary>
    public const string EventSource = "sechub-fanout";

    /// <summary>Detail-type of one (account, Region) result: detail is a RegionExportEvent JSON.</summary>
    public const string RegionResultDetailType = "Region Export Result";

    /// <summary>Detail-type of one account's summary once all its Regions are terminal.</summary>
    public const string AccountSummaryDetailType = "Account Export Summary";

    /// <summary>Key prefix below which every member writes only its own account's data.</summary>
    public const string FindingsPrefix = "findings/";

    /// <summary>Key prefix of export manifests written by the coordinator.</summary>
    public const string ManifestsPrefix = "manifests/";

    /// <summary>SSM parameter path prefix of the per-export running finding count in member accounts (then &lt;exportId&gt;/&lt;region&gt;).</summary>
    public const string CountParameterPrefix = "/sechub-fanout/exports/";
}
