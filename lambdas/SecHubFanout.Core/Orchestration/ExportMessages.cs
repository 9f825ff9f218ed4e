using System.Globalization;
using System.Text;
using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Core.Orchestration;

/// <summary>The texts people read: the completion email (readable at a glance) and the email about an account that could not be started.</summary>
public static class ExportMessages
{
    // SNS email subjects: at most 100 printable ASCII characters.
    private const int MaxSubjectLength = 100;
    private const int MaxListedFailures = 20;

    /// <summary>The completion email's subject and body.</summary>
    public static (string Subject, string Body) Completion(ExportProgress progress, CoordinatorOptions options, string manifestLocation)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(options);
        var t = progress.Totals;
        var failed = progress.Failures.Count > 0;
        var subject = Subject(failed
            ? $"SecHubFanout export {progress.ExportId} finished: {N(t.Findings)} findings, {t.AccountsFailed} of {t.Accounts} accounts failed"
            : $"SecHubFanout export {progress.ExportId} complete: {N(t.Findings)} findings from {t.Accounts} accounts");

        var body = new StringBuilder();
        body.AppendLine(failed
            ? $"SecHubFanout export {progress.ExportId} finished, but {Plural(progress.Failures.Count, "part")} failed (listed below)."
            : $"SecHubFanout export {progress.ExportId} is complete.");
        body.AppendLine();
        body.AppendLine($"Findings exported:  {N(t.Findings)} ({N(t.Parts)} parts, {Size(t.Bytes)})");
        body.AppendLine($"Accounts:           {t.AccountsComplete} complete, {t.AccountsFailed} failed, {t.AccountsNotEnabled} not enabled (of {t.Accounts})");
        body.AppendLine($"Account-Regions:    {t.RegionsComplete} complete, {t.RegionsFailed} failed, {t.RegionsNotEnabled} not enabled (of {t.RegionsExpected})");
        body.AppendLine($"Duration:           {Duration(progress.DurationSeconds ?? 0)} (started {Time(progress.StartedAt)}, finished {Time(progress.CompletedAt ?? progress.StartedAt)})");
        body.AppendLine($"Data:               s3://{options.FindingsBucket}/{FanoutNames.FindingsPrefix}");
        body.AppendLine($"Manifest:           {manifestLocation}");
        if (failed)
        {
            body.AppendLine();
            body.AppendLine("Failed:");
            foreach (var f in progress.Failures.Take(MaxListedFailures))
            {
                body.AppendLine($"  {f.AccountId} {f.Region ?? "(not started)"}: {f.Error}");
            }

            if (progress.Failures.Count > MaxListedFailures)
            {
                body.AppendLine($"  ... and {progress.Failures.Count - MaxListedFailures} more (see the manifest)");
            }

            var accounts = string.Join(',', progress.Failures.Select(f => f.AccountId).Distinct(StringComparer.Ordinal));
            body.AppendLine();
            body.AppendLine("Restart the failed accounts (already exported Regions are rewritten, not duplicated):");
            body.AppendLine($"  sechub-fanout start --export-id {progress.ExportId} --accounts {accounts}");
        }

        body.AppendLine();
        body.AppendLine($"Query it in Athena (workgroup {options.AthenaWorkgroup}):");
        body.AppendLine("  SELECT severity_label, count(*) AS findings");
        body.AppendLine($"  FROM \"{options.GlueDatabase}\".\"{options.GlueTable}\"");
        body.AppendLine($"  WHERE export_id = '{progress.ExportId}'");
        body.AppendLine("  GROUP BY severity_label ORDER BY findings DESC;");
        body.AppendLine();
        body.AppendLine("Details per account and Region:");
        body.AppendLine($"  sechub-fanout status {progress.ExportId}");
        return (subject, body.ToString());
    }

    /// <summary>
    /// The email sent when the launcher could not start an account (it never ran, so nothing crossed the bus). Failures reported
    /// by exporters are mailed by the central bus's failure rule instead (its text is in the CentralStack).
    /// </summary>
    public static (string Subject, string Body) LaunchFailure(string exportId, string accountId, IReadOnlyList<string> regions, string reason)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var subject = Subject($"SecHubFanout export {exportId}: starting account {accountId} failed");
        var body = new StringBuilder();
        body.AppendLine($"SecHubFanout export {exportId}: the exporter of account {accountId} could not be started, so none of its Regions ({string.Join(", ", regions)}) were exported.");
        body.AppendLine();
        body.AppendLine($"Reason: {reason}");
        body.AppendLine();
        body.AppendLine("The other accounts carry on; a summary follows when all are done. To retry this account:");
        body.AppendLine($"  sechub-fanout start --export-id {exportId} --accounts {accountId}");
        body.AppendLine("Progress:");
        body.AppendLine($"  sechub-fanout status {exportId}");
        return (subject, body.ToString());
    }

    /// <summary>A duration as people say it: 1h 02m 05s, 3m 10s, 42s.</summary>
    public static string Duration(double seconds)
    {
        var d = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds)));
        return d.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h {d.Minutes:00}m {d.Seconds:00}s")
            : d.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}m {d.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{d.Seconds}s");
    }

    /// <summary>A byte count as people read it: 812 B, 1.2 MB, 3.4 GB.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Subject(string text)
    {
        var ascii = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return ascii.Length <= MaxSubjectLength ? ascii : ascii[..(MaxSubjectLength - 3)] + "...";
    }
}
