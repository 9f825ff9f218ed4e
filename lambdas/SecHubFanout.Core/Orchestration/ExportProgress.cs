using System.Text.Json.Serialization;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// The read model of one export: counts per account and Region, failures with reasons, start, end and duration. It is what
/// <c>sechub-fanout status</c> shows and, once the export is complete, the manifest written next to the data.
/// </summary>
public sealed record ExportProgress
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

    /// <summary>When the export completed, or null while running.</summary>
    [JsonPropertyName("completedAt")]
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Seconds from start to completion, or null while running.</summary>
    [JsonPropertyName("durationSeconds")]
    public double? DurationSeconds { get; init; }

    /// <summary>The exported UpdatedAt range's start, or null for everything.</summary>
    [JsonPropertyName("since")]
    public DateTimeOffset? Since { get; init; }

    /// <summary>The exported UpdatedAt range's end (the start time).</summary>
    [JsonPropertyName("until")]
    public required DateTimeOffset Until { get; init; }

    /// <summary>The Regions asked for.</summary>
    [JsonPropertyName("regions")]
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>How many times accounts were restarted.</summary>
    [JsonPropertyName("restarts")]
    public int Restarts { get; init; }

    /// <summary>Totals over all accounts and Regions.</summary>
    [JsonPropertyName("totals")]
    public required ExportTotals Totals { get; init; }

    /// <summary>One entry per account, ordered by account ID.</summary>
    [JsonPropertyName("accounts")]
    public required IReadOnlyList<AccountProgress> Accounts { get; init; }

    /// <summary>Every failed account launch and (account, Region), with its reason.</summary>
    [JsonPropertyName("failures")]
    public required IReadOnlyList<ExportFailure> Failures { get; init; }

    /// <summary>True when no (account, Region) is pending.</summary>
    [JsonIgnore]
    public bool IsFinished => Totals.RegionsPending == 0;

    /// <summary>Builds the read model from the ledger's items; <paramref name="completedAt"/> overrides the recorded completion (used while claiming it).</summary>
    public static ExportProgress From(ExportSnapshot snapshot, DateTimeOffset? completedAt = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var export = snapshot.Export;
        var end = completedAt ?? export.CompletedAt;
        var launches = snapshot.Accounts.ToDictionary(a => a.AccountId, StringComparer.Ordinal);
        var accountIds = snapshot.Accounts.Select(a => a.AccountId)
            .Concat(snapshot.Regions.Select(r => r.AccountId))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var accounts = new List<AccountProgress>(accountIds.Count);
        var failures = new List<ExportFailure>();
        foreach (var accountId in accountIds)
        {
            launches.TryGetValue(accountId, out var launch);
            var regions = snapshot.Regions.Where(r => r.AccountId == accountId).OrderBy(r => r.Region, StringComparer.Ordinal).ToList();
            // A launch failure is already listed through its Regions (each recorded failed with the reason) when it has any.
            if (launch?.Launch == AccountLaunchStatus.Failed && !regions.Any(r => r.Status == RegionExportStatus.Failed))
            {
                failures.Add(new ExportFailure(accountId, null, launch.Error ?? "the member state machine could not be started"));
            }

            failures.AddRange(regions.Where(r => r.Status == RegionExportStatus.Failed)
                .Select(r => new ExportFailure(accountId, r.Region, r.Error ?? "no reason given")));
            accounts.Add(new AccountProgress
            {
                AccountId = accountId,
                Status = AccountState(launch, regions),
                Launch = launch?.Launch ?? AccountLaunchStatus.Pending,
                ExecutionArn = launch?.ExecutionArn,
                Findings = regions.Sum(r => r.Findings),
                Regions = regions,
            });
        }

        var all = snapshot.Regions;
        var totals = new ExportTotals
        {
            Findings = all.Sum(r => r.Findings),
            Parts = all.Sum(r => r.Parts),
            Bytes = all.Sum(r => r.Bytes),
            Pages = all.Sum(r => r.Pages),
            Throttles = all.Sum(r => r.Throttles),
            Retries = all.Sum(r => r.Retries),
            Accounts = accounts.Count,
            AccountsComplete = accounts.Count(a => a.Status == RegionExportStatus.Complete),
            AccountsFailed = accounts.Count(a => a.Status == RegionExportStatus.Failed),
            AccountsNotEnabled = accounts.Count(a => a.Status == RegionExportStatus.NotEnabled),
            AccountsRunning = accounts.Count(a => a.Status == RegionExportStatus.Pending),
            RegionsExpected = all.Count,
            RegionsComplete = all.Count(r => r.Status == RegionExportStatus.Complete),
            RegionsFailed = all.Count(r => r.Status == RegionExportStatus.Failed),
            RegionsNotEnabled = all.Count(r => r.Status == RegionExportStatus.NotEnabled),
            RegionsPending = all.Count(r => !r.IsTerminal),
        };

        string state;
        if (totals.RegionsPending > 0 || end is null)
        {
            state = ExportState.Running;
        }
        else
        {
            state = failures.Count > 0 ? ExportState.CompleteWithFailures : ExportState.Complete;
        }

        return new ExportProgress
        {
            ExportId = export.ExportId,
            State = state,
            StartedAt = export.StartedAt,
            CompletedAt = end,
            DurationSeconds = end is { } e ? Math.Max(0, (e - export.StartedAt).TotalSeconds) : null,
            Since = export.Since,
            Until = export.Until,
            Regions = export.Regions,
            Restarts = export.Restarts,
            Totals = totals,
            Accounts = accounts,
            Failures = failures,
        };
    }

    // An account is as good as its worst Region; all not-enabled means Security Hub is off there, which is not a failure.
    private static string AccountState(AccountRecord? launch, List<RegionRecord> regions)
    {
        if (launch?.Launch == AccountLaunchStatus.Failed || regions.Any(r => r.Status == RegionExportStatus.Failed))
        {
            return regions.Any(r => !r.IsTerminal) ? RegionExportStatus.Pending : RegionExportStatus.Failed;
        }

        if (regions.Count == 0 || regions.Any(r => !r.IsTerminal))
        {
            return RegionExportStatus.Pending;
        }

        return regions.All(r => r.Status == RegionExportStatus.NotEnabled) ? RegionExportStatus.NotEnabled : RegionExportStatus.Complete;
    }
}

/// <summary>The overall states of an export.</summary>
public static class ExportState
{
    /// <summary>Some (account, Region) is still pending, or the completion was not claimed yet.</summary>
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
    public int Accounts { get; init; }

    /// <summary>Accounts whose Regions all finished and at least one is complete.</summary>
    [JsonPropertyName("accountsComplete")]
    public int AccountsComplete { get; init; }

    /// <summary>Accounts with a failed launch or a failed Region.</summary>
    [JsonPropertyName("accountsFailed")]
    public int AccountsFailed { get; init; }

    /// <summary>Accounts where Security Hub is enabled in none of the Regions.</summary>
    [JsonPropertyName("accountsNotEnabled")]
    public int AccountsNotEnabled { get; init; }

    /// <summary>Accounts with a pending Region.</summary>
    [JsonPropertyName("accountsRunning")]
    public int AccountsRunning { get; init; }

    /// <summary>Expected (account, Region) pairs.</summary>
    [JsonPropertyName("regionsExpected")]
    public int RegionsExpected { get; init; }

    /// <summary>Complete (account, Region) pairs.</summary>
    [JsonPropertyName("regionsComplete")]
    public int RegionsComplete { get; init; }

    /// <summary>Failed (account, Region) pairs.</summary>
    [JsonPropertyName("regionsFailed")]
    public int RegionsFailed { get; init; }

    /// <summary>(account, Region) pairs where Security Hub is not enabled.</summary>
    [JsonPropertyName("regionsNotEnabled")]
    public int RegionsNotEnabled { get; init; }

    /// <summary>(account, Region) pairs still pending.</summary>
    [JsonPropertyName("regionsPending")]
    public int RegionsPending { get; init; }
}

/// <summary>One account of an export.</summary>
public sealed record AccountProgress
{
    /// <summary>The account ID.</summary>
    [JsonPropertyName("accountId")]
    public required string AccountId { get; init; }

    /// <summary>pending (running), complete, failed or not-enabled.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The launch state (<see cref="AccountLaunchStatus"/>).</summary>
    [JsonPropertyName("launch")]
    public required string Launch { get; init; }

    /// <summary>The member execution, once started.</summary>
    [JsonPropertyName("executionArn")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExecutionArn { get; init; }

    /// <summary>Findings written for this account.</summary>
    [JsonPropertyName("findings")]
    public long Findings { get; init; }

    /// <summary>The account's Regions, ordered by name.</summary>
    [JsonPropertyName("regions")]
    public required IReadOnlyList<RegionRecord> Regions { get; init; }
}

/// <summary>A failed account launch (<paramref name="Region"/> null) or a failed (account, Region), with its reason.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The Region, or null when the account could not be started.</param>
/// <param name="Error">The reason.</param>
public sealed record ExportFailure(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("region")] string? Region,
    [property: JsonPropertyName("error")] string Error);
