namespace SecHubFanout.Core.Orchestration;

/// <summary>The states of one (account, Region) in the ledger, as written in events and items.</summary>
public static class RegionExportStatus
{
    /// <summary>Expected, no result yet.</summary>
    public const string Pending = "pending";

    /// <summary>Every finding of the Region was written.</summary>
    public const string Complete = "complete";

    /// <summary>Security Hub is not enabled in that account and Region: nothing to export.</summary>
    public const string NotEnabled = "not-enabled";

    /// <summary>The Region could not be exported; the error says why.</summary>
    public const string Failed = "failed";

    /// <summary>True for the states that never change again (until an explicit restart).</summary>
    public static bool IsTerminal(string? status) => status is Complete or NotEnabled or Failed;
}
