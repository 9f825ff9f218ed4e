namespace SecHubFanout.Core.Deployment;

/// <summary>
/// Names of the environment variables the central stack sets on every central function (launcher, coordinator, reconciler), so the
/// CDK that writes them and the options class that reads them cannot drift apart.
/// </summary>
public static class CentralEnvironment
{
    /// <summary>The export ledger's DynamoDB table name.</summary>
    public const string LedgerTable = "LEDGER_TABLE";

    /// <summary>The ledger's sparse index of failed (account, Region) items (<see cref="FanoutNames.LedgerFailuresIndex"/>).</summary>
    public const string LedgerFailuresIndex = "LEDGER_FAILURES_INDEX";

    /// <summary>The SNS topic ARN for completion, failure and digest emails.</summary>
    public const string TopicArn = "TOPIC_ARN";

    /// <summary>The findings bucket name (manifests are written there).</summary>
    public const string FindingsBucket = "FINDINGS_BUCKET";

    /// <summary>The account that owns the findings bucket: sent as the expected bucket owner on every write.</summary>
    public const string FindingsBucketOwner = "FINDINGS_BUCKET_OWNER";

    /// <summary>The KMS key ARN objects in the findings bucket are encrypted with.</summary>
    public const string FindingsKmsKeyArn = "FINDINGS_KMS_KEY_ARN";

    /// <summary>The member StackSet whose instances are the target accounts.</summary>
    public const string StackSetName = "STACK_SET_NAME";

    /// <summary>SELF or DELEGATED_ADMIN: how StackSet calls are made.</summary>
    public const string CallAs = "CALL_AS";

    /// <summary>Regions exported when a launch names none (comma-separated; empty: the Regions enabled in this account).</summary>
    public const string DefaultRegions = "DEFAULT_REGIONS";

    /// <summary>Accounts the launcher starts at the same time.</summary>
    public const string MaxConcurrency = "MAX_CONCURRENCY";

    /// <summary>The Glue database of the findings table.</summary>
    public const string GlueDatabase = "GLUE_DATABASE";

    /// <summary>The Glue table partitions are registered in.</summary>
    public const string GlueTable = "GLUE_TABLE";

    /// <summary>The Glue table partitions of GetFindingsV2 (OCSF) exports are registered in.</summary>
    public const string GlueOcsfTable = "GLUE_OCSF_TABLE";

    /// <summary>The Athena workgroup named in emails.</summary>
    public const string AthenaWorkgroup = "ATHENA_WORKGROUP";

    /// <summary>Minutes a pending (account, Region) may stay silent before the reconciler fails it (whole number).</summary>
    public const string ReconcileAfterMinutes = "RECONCILE_AFTER_MINUTES";

    /// <summary>The function's own timeout in seconds (whole number), so a handler can budget its work and hand on in time.</summary>
    public const string FunctionTimeoutSeconds = "FUNCTION_TIMEOUT_SECONDS";

    /// <summary>"true" when the launcher also starts the exporter in the central account (service-managed StackSets never deploy there).</summary>
    public const string IncludeThisAccount = "INCLUDE_THIS_ACCOUNT";

    /// <summary>Every name above, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LedgerTable, LedgerFailuresIndex, TopicArn, FindingsBucket, FindingsBucketOwner, FindingsKmsKeyArn, StackSetName, CallAs,
        DefaultRegions, MaxConcurrency, GlueDatabase, GlueTable, AthenaWorkgroup, ReconcileAfterMinutes, FunctionTimeoutSeconds,
        IncludeThisAccount, GlueOcsfTable,
    ];
}
