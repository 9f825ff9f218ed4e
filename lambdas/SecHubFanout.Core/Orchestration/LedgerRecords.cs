namespace SecHubFanout.Core.Orchestration;

/// <summary>The ledger's item for one export: what was asked for, and whether its completion was claimed.</summary>
/// <param name="ExportId">The export ID.</param>
/// <param name="StartedAt">When the export was started.</param>
/// <param name="Until">The fixed end of the exported UpdatedAt range (the start time), so restarts export the same range.</param>
/// <param name="Regions">The Regions asked for; empty when each account exports the Regions enabled in it.</param>
/// <param name="FiltersJson">The Security Hub filters (a JSON object), or null for all findings.</param>
/// <param name="Since">The start of the exported UpdatedAt range, or null for everything Security Hub holds.</param>
/// <param name="Restarts">How many times accounts of this export were restarted.</param>
/// <param name="CompletedAt">When completion was claimed (manifest and email), or null while running.</param>
/// <param name="Shards">How many partition keys the export's account and Region items (and counters) are spread over.</param>
/// <param name="LaunchedAt">When the launcher had expected every target account (only then can the counters complete the export).</param>
/// <param name="FailuresMailed">Failures already reported by email (at once, or in a digest).</param>
/// <param name="LastDigestAt">When the last failure digest was mailed.</param>
/// <param name="Digests">How many failure digests were mailed.</param>
/// <param name="Api">The API the export pages: null for v1 (GetFindings), "v2" for GetFindingsV2; restarts keep it.</param>
/// <param name="Overlap">
/// Set for an incremental export: each account starts at its Regions' watermarks minus this overlap, and each Region that completes
/// moves its watermark to <paramref name="Until"/>. Null for an ordinary export.
/// </param>
public sealed record ExportRecord(
    string ExportId,
    DateTimeOffset StartedAt,
    DateTimeOffset Until,
    IReadOnlyList<string> Regions,
    string? FiltersJson,
    DateTimeOffset? Since,
    int Restarts = 0,
    DateTimeOffset? CompletedAt = null,
    int Shards = 1,
    DateTimeOffset? LaunchedAt = null,
    long FailuresMailed = 0,
    DateTimeOffset? LastDigestAt = null,
    int Digests = 0,
    string? Api = null,
    TimeSpan? Overlap = null)
{
    /// <summary>True once the completion was claimed.</summary>
    public bool IsCompleted => CompletedAt is not null;

    /// <summary>True for an incremental export (<see cref="Overlap"/> is set).</summary>
    public bool IsIncremental => Overlap is not null;

    /// <summary>
    /// True when a Region that completes in this export may move its watermark to <see cref="Until"/>: an incremental export, or
    /// a full one (no filters, no start), since either holds everything the Region had up to then.
    /// </summary>
    public bool MovesWatermarks => IsIncremental || (Since is null && FiltersJson is null);
}

/// <summary>The ledger's item for one account of an export: whether its member state machine was started.</summary>
/// <param name="AccountId">The member account.</param>
/// <param name="Launch">One of <see cref="AccountLaunchStatus"/>'s values.</param>
/// <param name="ExecutionArn">The member execution, once started.</param>
/// <param name="Error">Why it could not be started.</param>
/// <param name="UpdatedAt">When this item last changed.</param>
/// <param name="Attempt">The account's current attempt (0, or the number of its latest restart).</param>
/// <param name="Regions">The Regions expected of this account.</param>
public sealed record AccountRecord(string AccountId, string Launch, string? ExecutionArn, string? Error, DateTimeOffset UpdatedAt, int Attempt = 0, IReadOnlyList<string>? Regions = null);

/// <summary>The ledger's item for one expected (account, Region) of an export.</summary>
/// <param name="AccountId">The member account.</param>
/// <param name="Region">The Region.</param>
/// <param name="Status">One of <see cref="RegionExportStatus"/>'s values.</param>
/// <param name="Findings">Findings written.</param>
/// <param name="Pages">Pages read.</param>
/// <param name="Parts">Parts written.</param>
/// <param name="Bytes">Bytes written.</param>
/// <param name="Throttles">Throttled calls.</param>
/// <param name="Retries">Retried calls.</param>
/// <param name="DurationMs">Export time of the Region in milliseconds.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="FinishedAt">When the result was recorded, once terminal.</param>
/// <param name="Attempt">The attempt the item expects a result of.</param>
/// <param name="FailureKind">The kind of failure (<see cref="FailureKinds"/>), when failed.</param>
public sealed record RegionRecord(
    string AccountId,
    string Region,
    string Status,
    long Findings = 0,
    long Pages = 0,
    long Parts = 0,
    long Bytes = 0,
    long Throttles = 0,
    long Retries = 0,
    long DurationMs = 0,
    string? Error = null,
    DateTimeOffset? FinishedAt = null,
    int Attempt = 0,
    string? FailureKind = null)
{
    /// <summary>True once the Region has a final result.</summary>
    public bool IsTerminal => RegionExportStatus.IsTerminal(Status);
}

/// <summary>Everything the ledger holds about one export.</summary>
/// <param name="Export">The export item.</param>
/// <param name="Accounts">One item per account, ordered by account ID.</param>
/// <param name="Regions">One item per expected (account, Region), ordered by account then Region.</param>
public sealed record ExportSnapshot(ExportRecord Export, IReadOnlyList<AccountRecord> Accounts, IReadOnlyList<RegionRecord> Regions);

/// <summary>The launch states of an account.</summary>
public static class AccountLaunchStatus
{
    /// <summary>Expected, not started yet.</summary>
    public const string Pending = "pending";

    /// <summary>The member state machine was started.</summary>
    public const string Started = "started";

    /// <summary>The member state machine could not be started (its Regions are recorded failed).</summary>
    public const string Failed = "failed";
}

/// <summary>What recording a Region result did.</summary>
public enum RecordOutcome
{
    /// <summary>The Region moved from pending to the result's state.</summary>
    Applied,

    /// <summary>The Region already had a final state: nothing changed (a repeated or late event).</summary>
    AlreadyTerminal,

    /// <summary>No such (export, account, Region) is expected: nothing changed.</summary>
    NotExpected,

    /// <summary>The result belongs to an attempt that a restart of the account has replaced (a late or repeated event): nothing changed.</summary>
    Superseded,
}

/// <summary>What recording a Region result did, and what the counters of its shard said right after.</summary>
/// <param name="Outcome">What the ledger did with the result.</param>
/// <param name="Shard">The shard's counters after the change (only when <see cref="RecordOutcome.Applied"/>).</param>
public sealed record RecordResult(RecordOutcome Outcome, ExportCounters? Shard = null);

/// <summary>
/// Counters of an export (or of one of its shards): kept with conditional writes as results arrive, so that completion and status
/// never need to read every item.
/// </summary>
public sealed record ExportCounters
{
    /// <summary>(account, Region) pairs expected.</summary>
    public long Expected { get; init; }

    /// <summary>(account, Region) pairs with a final result.</summary>
    public long Terminal { get; init; }

    /// <summary>Complete pairs.</summary>
    public long Complete { get; init; }

    /// <summary>Pairs where Security Hub is not enabled.</summary>
    public long NotEnabled { get; init; }

    /// <summary>Failed pairs.</summary>
    public long Failed { get; init; }

    /// <summary>Accounts expected.</summary>
    public long Accounts { get; init; }

    /// <summary>Accounts whose member state machine could not be started.</summary>
    public long AccountsLaunchFailed { get; init; }

    /// <summary>Findings written.</summary>
    public long Findings { get; init; }

    /// <summary>GetFindings pages read.</summary>
    public long Pages { get; init; }

    /// <summary>Parts written.</summary>
    public long Parts { get; init; }

    /// <summary>Bytes written.</summary>
    public long Bytes { get; init; }

    /// <summary>Throttled calls.</summary>
    public long Throttles { get; init; }

    /// <summary>Retried calls.</summary>
    public long Retries { get; init; }

    /// <summary>Failed pairs per <see cref="FailureKinds"/> value.</summary>
    public IReadOnlyDictionary<string, long> FailedByKind { get; init; } = new Dictionary<string, long>();

    /// <summary>When anything (a result, an expected account, a restart) last changed these counters.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>Pairs still waiting for a result (never negative).</summary>
    public long Pending => Math.Max(0, Expected - Terminal);

    /// <summary>Adds two sets of counters (shards into an export's).</summary>
    public static ExportCounters operator +(ExportCounters a, ExportCounters b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var kinds = new Dictionary<string, long>(a.FailedByKind, StringComparer.Ordinal);
        foreach (var (kind, count) in b.FailedByKind)
        {
            kinds[kind] = kinds.GetValueOrDefault(kind) + count;
        }

        return new ExportCounters
        {
            Expected = a.Expected + b.Expected,
            Terminal = a.Terminal + b.Terminal,
            Complete = a.Complete + b.Complete,
            NotEnabled = a.NotEnabled + b.NotEnabled,
            Failed = a.Failed + b.Failed,
            Accounts = a.Accounts + b.Accounts,
            AccountsLaunchFailed = a.AccountsLaunchFailed + b.AccountsLaunchFailed,
            Findings = a.Findings + b.Findings,
            Pages = a.Pages + b.Pages,
            Parts = a.Parts + b.Parts,
            Bytes = a.Bytes + b.Bytes,
            Throttles = a.Throttles + b.Throttles,
            Retries = a.Retries + b.Retries,
            FailedByKind = kinds,
            ChangedAt = a.ChangedAt is { } x && b.ChangedAt is { } y ? (x > y ? x : y) : a.ChangedAt ?? b.ChangedAt,
        };
    }
}

/// <summary>One page of an export's failed (account, Region) pairs, in account then Region order.</summary>
/// <param name="Failures">The failures of this page.</param>
/// <param name="NextToken">Pass it back for the next page; null on the last page.</param>
public sealed record FailurePage(IReadOnlyList<RegionRecord> Failures, string? NextToken);
