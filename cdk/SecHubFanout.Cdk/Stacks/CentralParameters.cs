using Amazon.CDK;
using Constructs;

namespace SecHubFanout.Cdk.Stacks;

/// <summary>The central stack's CloudFormation parameters and conditions.</summary>
internal sealed class CentralParameters
{
    /// <summary>Default of <see cref="SilentRegionDeadlineMinutes"/>: the member execution timeout (24 h) plus one hour.</summary>
    public const int SilentRegionDeadlineMinutesDefault = (24 * 60) + 60;

    /// <summary>Default of <see cref="ReconcileEveryMinutes"/>.</summary>
    public const int ReconcileEveryMinutesDefault = 5;

    /// <summary>Default of <see cref="IncrementalExportSchedule"/>: daily at 03:00 UTC.</summary>
    public const string IncrementalExportScheduleDefault = "cron(0 3 * * ? *)";

    /// <summary>Default of <see cref="StreamBatchWindowSeconds"/>: Lambda's maximum batching window, so parts are as few and large as the stream allows.</summary>
    public const int StreamBatchWindowSecondsDefault = 300;

    /// <summary>Default of <see cref="LogRetentionDays"/>.</summary>
    public const int LogRetentionDaysDefault = 90;

    /// <summary>The retention values CloudWatch Logs accepts (PutRetentionPolicy), which is also what the parameter allows.</summary>
    public static readonly int[] LogRetentionChoices = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public CentralParameters(Construct stack)
    {
        OrgId = new CfnParameter(stack, "OrgId", new CfnParameterProps
        {
            Type = "String",
            AllowedPattern = "^o-[a-z0-9]{10,32}$",
            Description = "AWS Organizations ID (o-...): only principals of this organization may write findings, read artifacts, send events.",
        });
        TargetOuIds = new CfnParameter(stack, "TargetOuIds", new CfnParameterProps
        {
            Type = "CommaDelimitedList",
            Description = "OU IDs (ou-... or the root r-...) whose accounts get the member exporter; new accounts get it automatically.",
        });
        CallAs = new CfnParameter(stack, "CallAs", new CfnParameterProps
        {
            Type = "String",
            Default = "SELF",
            AllowedValues = ["SELF", "DELEGATED_ADMIN"],
            Description = "SELF in the management account, DELEGATED_ADMIN in a StackSets delegated administrator account.",
        });
        Regions = new CfnParameter(stack, "Regions", new CfnParameterProps
        {
            Type = "CommaDelimitedList",
            Default = string.Empty,
            Description = "Regions to export by default; empty = every Region enabled in each account.",
        });
        RegionConcurrency = new CfnParameter(stack, "RegionConcurrency", new CfnParameterProps
        {
            Type = "Number", Default = MemberExporterDefaults.RegionConcurrency, MinValue = 1, MaxValue = MemberExporterDefaults.MaxRegionConcurrency,
            Description = "Regions exported at the same time in each account.",
        });
        AccountConcurrency = new CfnParameter(stack, "AccountConcurrency", new CfnParameterProps
        {
            Type = "Number", Default = 20, MinValue = 1, MaxValue = 200,
            Description = "Accounts the launcher starts at the same time.",
        });
        ExporterMemorySize = new CfnParameter(stack, "ExporterMemorySize", new CfnParameterProps
        {
            Type = "Number",
            Default = MemberExporterDefaults.ExporterMemorySizeMb,
            MinValue = MemberExporterDefaults.MinExporterMemorySizeMb,
            MaxValue = MemberExporterDefaults.MaxExporterMemorySizeMb,
            Description = "Exporter Lambda memory in MB in every member account (512 MB fits one Region per invocation, see bench/README.md).",
        });
        TransitionDays = new CfnParameter(stack, "FindingsTransitionDays", new CfnParameterProps
        {
            Type = "Number", Default = 30, MinValue = 0,
            Description = "Days after which exported findings move to S3 Intelligent-Tiering.",
        });
        ExpirationDays = new CfnParameter(stack, "FindingsExpirationDays", new CfnParameterProps
        {
            Type = "Number", Default = 1825, MinValue = 1,
            Description = "Days after which exported findings are deleted. An overwritten or deleted version is kept this long again before it is purged.",
        });
        NotificationEmail = new CfnParameter(stack, "NotificationEmail", new CfnParameterProps
        {
            Type = "String",
            Default = string.Empty,
            Description = "Optional address subscribed to completion emails, failure digests and alarms (confirm the subscription mail).",
        });
        DeployExporterInThisAccount = new CfnParameter(stack, "DeployExporterInThisAccount", new CfnParameterProps
        {
            Type = "String",
            Default = "false",
            AllowedValues = ["true", "false"],
            Description = "Also deploy the member exporter into this account and export it (StackSets never deploy to the management account). " +
                "Leave false if this account is in a target OU: it would get the exporter twice.",
        });
        ReconcileEveryMinutes = new CfnParameter(stack, "ReconcileEveryMinutes", new CfnParameterProps
        {
            // From 2: a rate of 1 would need the singular unit ("rate(1 minute)").
            Type = "Number", Default = ReconcileEveryMinutesDefault, MinValue = 2, MaxValue = 1440,
            Description = "How often the reconciler checks running exports for Regions that went silent (minutes).",
        });
        SilentRegionDeadlineMinutes = new CfnParameter(stack, "SilentRegionDeadlineMinutes", new CfnParameterProps
        {
            Type = "Number", Default = SilentRegionDeadlineMinutesDefault, MinValue = 15, MaxValue = 525600,
            Description = "Minutes a pending Region may send nothing before the reconciler marks it failed (default: the member execution " +
                "timeout of 24 h plus 1 h).",
        });
        LogRetentionDays = new CfnParameter(stack, "LogRetentionDays", new CfnParameterProps
        {
            Type = "Number",
            Default = LogRetentionDaysDefault,
            AllowedValues = LogRetentionChoices.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            Description = "Days the central functions' logs and the findings bucket's access logs are kept.",
        });

        IncrementalExportSchedule = new CfnParameter(stack, "IncrementalExportSchedule", new CfnParameterProps
        {
            Type = "String",
            Default = IncrementalExportScheduleDefault,
            AllowedPattern = "^$|^(cron|rate)\\(.+\\)$",
            ConstraintDescription = "an EventBridge Scheduler expression such as cron(0 3 * * ? *) or rate(12 hours), or empty for no schedule",
            Description = "When to launch an incremental export of the whole organization (EventBridge Scheduler expression, UTC); each account-Region " +
                "exports only what changed since its last completed export. Empty: no schedule (start them with 'sechub-fanout start --incremental').",
        });

        HasIncrementalSchedule = new CfnCondition(stack, "HasIncrementalSchedule", new CfnConditionProps
        {
            Expression = Fn.ConditionNot(Fn.ConditionEquals(IncrementalExportSchedule.ValueAsString, string.Empty)),
        });

        StreamFindings = new CfnParameter(stack, "StreamFindings", new CfnParameterProps
        {
            Type = "String",
            Default = "true",
            AllowedValues = ["true", "false"],
            Description = "Stream new and updated findings (Security Hub Findings - Imported events of this account's default bus) into the bucket " +
                "within minutes. Deploy this stack in the Security Hub administrator account's aggregation Region, where one rule sees the organization.",
        });
        StreamBatchWindowSeconds = new CfnParameter(stack, "StreamBatchWindowSeconds", new CfnParameterProps
        {
            Type = "Number", Default = StreamBatchWindowSecondsDefault, MinValue = 0, MaxValue = 300,
            Description = "Seconds the stream queue gathers findings before the writer stores them (Lambda's maximum batching window, 300; " +
                "a batch also ends at 10,000 messages or 6 MB). Longer windows make fewer, larger parts.",
        });
        StreamFromMembers = new CfnParameter(stack, "StreamFromMembers", new CfnParameterProps
        {
            Type = "String",
            Default = "false",
            AllowedValues = ["true", "false"],
            Description = "Also forward each member's own findings events from its home Region to the central bus (member template parameter " +
                "StreamFindings; override it per account on the stack instances). For organizations without a Security Hub administrator here.",
        });

        HasNotificationEmail = new CfnCondition(stack, "HasNotificationEmail", new CfnConditionProps
        {
            Expression = Fn.ConditionNot(Fn.ConditionEquals(NotificationEmail.ValueAsString, string.Empty)),
        });
        DeployExporterHere = new CfnCondition(stack, "DeployExporterHere", new CfnConditionProps
        {
            Expression = Fn.ConditionEquals(DeployExporterInThisAccount.ValueAsString, "true"),
        });
        StreamHere = new CfnCondition(stack, "StreamHere", new CfnConditionProps
        {
            Expression = Fn.ConditionEquals(StreamFindings.ValueAsString, "true"),
        });
    }

    public CfnParameter OrgId { get; }

    public CfnParameter TargetOuIds { get; }

    public CfnParameter CallAs { get; }

    public CfnParameter Regions { get; }

    public CfnParameter RegionConcurrency { get; }

    public CfnParameter AccountConcurrency { get; }

    public CfnParameter ExporterMemorySize { get; }

    public CfnParameter TransitionDays { get; }

    public CfnParameter ExpirationDays { get; }

    public CfnParameter NotificationEmail { get; }

    public CfnParameter DeployExporterInThisAccount { get; }

    public CfnParameter ReconcileEveryMinutes { get; }

    public CfnParameter SilentRegionDeadlineMinutes { get; }

    public CfnParameter LogRetentionDays { get; }

    public CfnParameter IncrementalExportSchedule { get; }

    public CfnCondition HasIncrementalSchedule { get; }

    public CfnParameter StreamFindings { get; }

    public CfnParameter StreamBatchWindowSeconds { get; }

    public CfnParameter StreamFromMembers { get; }

    public CfnCondition HasNotificationEmail { get; }

    public CfnCondition StreamHere { get; }

    public CfnCondition DeployExporterHere { get; }
}
