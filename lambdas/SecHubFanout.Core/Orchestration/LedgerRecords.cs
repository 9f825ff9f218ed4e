namespace SecHubFanout.Core.Orchestration;

/// <summary>The ledger's item for one export: what was asked for, and whether its completion was claimed.</summary>
/// <param name="ExportId">The export ID.</param>
/// <param name="StartedAt">When the export was started.</param>
/// <param name="Until">The fixed end of the exported UpdatedAt range (the start time), so restarts export the same range.</param>
/// <param name="Regions">The Regions every account exports.</param>
/// <param name="FiltersJson">The Security Hub filters (a JSON object), or null for all findings.</param>
/// <param name="Since">The start of the exported UpdatedAt range, or null for everything Security Hub holds.</param>
/// <param name="Restarts">How many times accounts of this export were restarted.</param>
/// <param name="CompletedAt">When completion was claimed (manifest and email), or null while running.</param>
public sealed record ExportRecord(
    string ExportId,
    DateTimeOffset StartedAt,
    DateTimeOffset Until,
    IReadOnlyList<string> Regions,
    string? FiltersJson,
    DateTimeOffset? Since,
    int Restarts = 0,
    DateTimeOffset? CompletedAt = null)
{
    /// <summary>True once the completion was claimed.</summary>
    public bool IsCompleted => CompletedAt is not null;
}

/// <summary>The ledger's item for one account of an export: whether its member state machine was started.</summary>
/// <param name="AccountId">The member account.</param>
/// <param name="Launch">One of <see cref="AccountLaunchStatus"/>'s values.</param>
/// <param name="ExecutionArn">The member execution, once started.</param>
/// <param name="Error">Why it could not be started.</param>
/// <param name="UpdatedAt">When this item last changed.</param>
public sealed record AccountRecord(string AccountId, string Launch, string? ExecutionArn, string? Error, DateTimeOffset UpdatedAt);

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
    DateTimeOffset? FinishedAt = null)
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
