using System.Text.Json.Serialization;

namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>The figures of one organization benchmark (its JSON line uses these snake_case names).</summary>
internal sealed record OrgBenchReport
{
    [JsonPropertyName("accounts")]
    public int Accounts { get; init; }

    [JsonPropertyName("regions")]
    public int Regions { get; init; }

    [JsonPropertyName("launch_seconds")]
    public double LaunchSeconds { get; init; }

    [JsonPropertyName("launcher_invocations")]
    public int LauncherInvocations { get; init; }

    [JsonPropertyName("results_delivered")]
    public long ResultsDelivered { get; init; }

    [JsonPropertyName("ledger_items_read_per_result")]
    public double LedgerItemsReadPerResult { get; init; }

    [JsonPropertyName("ledger_items_written_per_result")]
    public double LedgerItemsWrittenPerResult { get; init; }

    [JsonPropertyName("ledger_items")]
    public long LedgerItems { get; init; }

    [JsonPropertyName("max_partition_share")]
    public double MaxPartitionShare { get; init; }

    [JsonPropertyName("forged_events")]
    public long ForgedEvents { get; init; }

    [JsonPropertyName("forged_accepted")]
    public long ForgedAccepted { get; init; }

    [JsonPropertyName("duplicates")]
    public long Duplicates { get; init; }

    [JsonPropertyName("dead_executions")]
    public int DeadExecutions { get; init; }

    [JsonPropertyName("regions_failed")]
    public long RegionsFailed { get; init; }

    [JsonPropertyName("failures_by_kind")]
    public IReadOnlyDictionary<string, long> FailuresByKind { get; init; } = new Dictionary<string, long>();

    [JsonPropertyName("pending_at_end")]
    public long PendingAtEnd { get; init; }

    [JsonPropertyName("completion_emails")]
    public int CompletionEmails { get; init; }

    [JsonPropertyName("failure_emails")]
    public int FailureEmails { get; init; }

    [JsonPropertyName("reconciler_passes")]
    public int ReconcilerPasses { get; init; }

    [JsonPropertyName("manifest_bytes")]
    public long ManifestBytes { get; init; }

    [JsonPropertyName("findings_in_ledger")]
    public long FindingsInLedger { get; init; }

    [JsonPropertyName("findings_sent")]
    public long FindingsSent { get; init; }

    [JsonPropertyName("duration_seconds")]
    public double DurationSeconds { get; init; }
}

/// <summary>Source-generated JSON of the organization benchmark's line.</summary>
[JsonSerializable(typeof(OrgBenchReport))]
internal sealed partial class OrgBenchJsonContext : JsonSerializerContext
{
}
