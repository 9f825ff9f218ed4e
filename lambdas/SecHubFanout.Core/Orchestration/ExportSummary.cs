using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// An export at a glance, read in constant time from the export item and its shards' counters (never from every item): what
/// <c>sechub-fanout status</c> shows, the head of the manifest, and the numbers of the emails.
/// </summary>
public sealed record ExportSummary
{
    /// <summary>The export ID.</summary>
    [JsonPropertyName("exportId")]
    public required string ExportId { get; init; }

    /// <summary>One of <see cref="ExportState"/>'s values.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>When the export started.</summary>
    [JsonPropertyName("startedAt")]
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the launcher had started (or tried) every account, or null while it is still launching.</summary>
    [JsonPropertyName("launchedAt")]
    public DateTimeOffset? LaunchedAt { get; init; }

    /// <summary>When the export completed, or null while running.</summary>
    [JsonPropertyName("completedAt")]
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Seconds from start to completion, or null while running.</summary>
    [JsonPropertyName("durationSeconds")]
    public double? DurationSeconds { get; init; }

    /// <summary>The exported UpdatedAt range's start, or null for everything.</summary>
    [JsonPropertyName("since")]
    public DateTimeOffset? Since { get; init; }

    /// <summary>For an incremental export, its overlap in seconds (each account-Region from its watermark minus this); null otherwise.</summary>
    [JsonPropertyName("incrementalOverlapSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? IncrementalOverlapSeconds { get; init; }

    /// <summary>The exported UpdatedAt range's end (the start time).</summary>
    [JsonPropertyName("until")]
    public required DateTimeOffset Until { get; init; }

    /// <summary>The Regions asked for; empty when each account exports the Regions enabled in it.</summary>
    [JsonPropertyName("regions")]
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>How many times accounts were restarted.</summary>
    [JsonPropertyName("restarts")]
    public int Restarts { get; init; }

    /// <summary>Totals over all accounts and Regions.</summary>
    [JsonPropertyName("totals")]
    public required ExportTotals Totals { get; init; }

    /// <summary>Failed (account, Region) pairs per kind (<see cref="FailureKinds"/>), most frequent first.</summary>
    [JsonPropertyName("failuresByKind")]
    public required IReadOnlyDictionary<string, long> FailuresByKind { get; init; }

    /// <summary>True when every account is launched and no (account, Region) is pending.</summary>
    [JsonIgnore]
    public bool IsFinished => LaunchedAt is not null && Totals.RegionsPending == 0;

    /// <summary>Builds the summary from the export item and its counters; <paramref name="completedAt"/> overrides the recorded completion (used while claiming it).</summary>
    public static ExportSummary From(ExportRecord export, ExportCounters counters, DateTimeOffset? completedAt = null)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(counters);
        var end = completedAt ?? export.CompletedAt;
        var totals = new ExportTotals
        {
            Findings = counters.Findings,
            Parts = counters.Parts,
            Bytes = counters.Bytes,
            Pages = counters.Pages,
            Throttles = counters.Throttles,
            Retries = counters.Retries,
            Accounts = counters.Accounts,
            AccountsLaunchFailed = counters.AccountsLaunchFailed,
            RegionsExpected = counters.Expected,
            RegionsComplete = counters.Complete,
            RegionsFailed = counters.Failed,
            RegionsNotEnabled = counters.NotEnabled,
            RegionsPending = counters.Pending,
        };
        var state = end is null || totals.RegionsPending > 0 || export.LaunchedAt is null
            ? ExportState.Running
            : totals.RegionsFailed > 0 ? ExportState.CompleteWithFailures : ExportState.Complete;
        return new ExportSummary
        {
            ExportId = export.ExportId,
            State = state,
            StartedAt = export.StartedAt,
            LaunchedAt = export.LaunchedAt,
            CompletedAt = end,
            DurationSeconds = end is { } e ? Math.Max(0, (e - export.StartedAt).TotalSeconds) : null,
            Since = export.Since,
            IncrementalOverlapSeconds = export.Overlap?.TotalSeconds,
            Until = export.Until,
            Regions = export.Regions,
            Restarts = export.Restarts,
            Totals = totals,
            FailuresByKind = counters.FailedByKind.Where(kv => kv.Value > 0)
                .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
    }
}

/// <summary>The overall states of an export.</summary>
public static class ExportState
{
    /// <summary>Accounts are still being launched, some (account, Region) is still pending, or the completion was not claimed yet.</summary>
    public const string Running = "running";

    /// <summary>Every (account, Region) finished complete or not enabled.</summary>
    public const string Complete = "complete";

    /// <summary>Every (account, Region) finished, some failed.</summary>
    public const string CompleteWithFailures = "complete-with-failures";
}

/// <summary>Totals of an export.</summary>
public sealed record ExportTotals
{
    /// <summary>Findings written.</summary>
    [JsonPropertyName("findings")]
    public long Findings { get; init; }

    /// <summary>Part objects written.</summary>
    [JsonPropertyName("parts")]
    public long Parts { get; init; }

    /// <summary>Bytes written.</summary>
    [JsonPropertyName("bytes")]
    public long Bytes { get; init; }

    /// <summary>GetFindings pages read.</summary>
    [JsonPropertyName("pages")]
    public long Pages { get; init; }

    /// <summary>Throttled calls.</summary>
    [JsonPropertyName("throttles")]
    public long Throttles { get; init; }

    /// <summary>Retried calls.</summary>
    [JsonPropertyName("retries")]
    public long Retries { get; init; }

    /// <summary>Accounts in the export.</summary>
    [JsonPropertyName("accounts")]
    public long Accounts { get; init; }

    /// <summary>Accounts whose member state machine could not be started.</summary>
    [JsonPropertyName("accountsLaunchFailed")]
    public long AccountsLaunchFailed { get; init; }

    /// <summary>Expected (account, Region) pairs.</summary>
    [JsonPropertyName("regionsExpected")]
    public long RegionsExpected { get; init; }

    /// <summary>Complete (account, Region) pairs.</summary>
    [JsonPropertyName("regionsComplete")]
    public long RegionsComplete { get; init; }

    /// <summary>Failed (account, Region) pairs.</summary>
    [JsonPropertyName("regionsFailed")]
    public long RegionsFailed { get; init; }

    /// <summary>(account, Region) pairs where Security Hub is not enabled.</summary>
    [JsonPropertyName("regionsNotEnabled")]
    public long RegionsNotEnabled { get; init; }

    /// <summary>(account, Region) pairs still pending.</summary>
    [JsonPropertyName("regionsPending")]
    public long RegionsPending { get; init; }
}

/// <summary>How the accounts of a finished export ended, counted while the manifest streams their Regions.</summary>
/// <param name="Complete">Accounts whose Regions all finished and at least one is complete, none failed.</param>
/// <param name="Failed">Accounts with a failed Region (or that could not be started).</param>
/// <param name="NotEnabled">Accounts where Security Hub is enabled in none of the Regions.</param>
public sealed record AccountTally(
    [property: JsonPropertyName("complete")] long Complete,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("notEnabled")] long NotEnabled);
