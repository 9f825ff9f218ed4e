using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cli.Analytics;

/// <summary>What the report reads for one table: its views and the columns that play each part (time, severity, compliance, control).</summary>
/// <param name="Table">The table reported on.</param>
/// <param name="Latest">The latest-version view.</param>
/// <param name="Hourly">The per-hour view.</param>
/// <param name="Controls">The failing-controls view.</param>
/// <param name="Accounts">The accounts-and-Regions view.</param>
/// <param name="Time">The column of a finding's last update.</param>
/// <param name="Severity">The expression giving an upper-case severity label (INFORMATIONAL ... CRITICAL) in the hourly view.</param>
/// <param name="ControlColumns">The failing-controls view's columns shown, in order: rank, control, title, resources, findings, accounts, severity.</param>
/// <param name="AccountColumns">The accounts view's columns shown.</param>
internal sealed record ReportSource(
    FindingTable Table,
    string Latest,
    string Hourly,
    string Controls,
    string Accounts,
    string Time,
    string Severity,
    IReadOnlyList<string> ControlColumns,
    IReadOnlyList<string> AccountColumns)
{
    public static ReportSource Asff { get; } = new(
        FindingTable.Asff,
        "findings_latest",
        "findings_hourly",
        "top_failing_controls",
        "findings_by_account_region",
        "updated_at",
        "severity_label",
        ["rank", "security_control_id", "title", "failed_resources", "failed_findings", "accounts", "max_severity_normalized"],
        ["account_id", "region", "findings", "active", "failed", "critical", "high", "medium", "low", "informational", "last_updated_at"]);

    public static ReportSource Ocsf { get; } = new(
        FindingTable.Ocsf,
        "findings_ocsf_latest",
        "findings_ocsf_hourly",
        "findings_ocsf_failing_controls",
        "findings_ocsf_by_account_region",
        "modified_time",
        "upper(severity)",
        ["rank", "compliance_control", "title", "failed_resources", "failed_findings", "accounts", "max_severity_id"],
        ["account_id", "region", "findings", "failed", "critical", "high", "medium", "low", "informational", "vulnerabilities", "compliance", "detections", "last_modified_time"]);

    /// <summary>The source for the table named <paramref name="name"/>, or (null) the ASFF table when the export holds it, else the OCSF one.</summary>
    public static ReportSource Choose(FindingsDatabase database, string? name)
    {
        var present = database.Tables.Select(t => t.Table.Name).ToList();
        var chosen = name ?? present[0];
        if (!present.Contains(chosen))
        {
            throw new UsageException($"--table {chosen}: the export holds no parts of that table (it holds {database.Describe()}).");
        }

        return chosen == FindingTable.Ocsf.Name ? Ocsf : Asff;
    }
}
