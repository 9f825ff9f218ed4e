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

    /// <summary>The central launcher Lambda's function name: what <c>sechub-fanout start</c> invokes unless told otherwise (one CentralStack per account and Region).</summary>
    public const string LauncherFunction = "sechub-fanout-launcher";

    /// <summary>The member exporter's DynamoDB table of per-Region export checkpoints (partition key <c>pk</c>, items expire through <c>expiresAt</c>).</summary>
    public const string CheckpointTable = "sechub-fanout-checkpoints";

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

    /// <summary>The member state machine's role: the principal that sends Region results and account summaries to the central bus.</summary>
    public const string StateMachineRole = "SecHubFanoutStateMachine";

    /// <summary>The member role of the rule that forwards the state machine's execution status changes to the central bus.</summary>
    public const string EventForwarderRole = "SecHubFanoutEventForwarder";

    /// <summary>The <c>source</c> of Step Functions execution status events (forwarded from members to the central bus).</summary>
    public const string ExecutionStatusSource = "aws.states";

    /// <summary>The detail-type of Step Functions execution status events.</summary>
    public const string ExecutionStatusDetailType = "Step Functions Execution Status Change";

    /// <summary>The ledger table's sparse global secondary index of failed (account, Region) items, per export.</summary>
    public const string LedgerFailuresIndex = "failures";

    /// <summary>Partition key attribute of <see cref="LedgerFailuresIndex"/> (string): set only on failed items.</summary>
    public const string LedgerFailuresPartitionKey = "fpk";

    /// <summary>Sort key attribute of <see cref="LedgerFailuresIndex"/> (string).</summary>
    public const string LedgerFailuresSortKey = "fsk";
}
