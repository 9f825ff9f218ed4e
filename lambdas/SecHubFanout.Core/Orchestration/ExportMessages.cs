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

    /// <summary>How many failures are mailed one by one as they happen; later ones go into digests and the completion email.</summary>
    public const int ImmediateFailureMails = 3;

    // Error text comes from member accounts: at most this many characters of it reach an email, on one line.
    private const int MaxErrorLength = 300;

    /// <summary>The completion email's subject and body: totals, failures grouped by kind, the first failures, and how to go on.</summary>
    public static (string Subject, string Body) Completion(ExportSummary summary, AccountTally accounts, IReadOnlyList<RegionRecord> firstFailures, CoordinatorOptions options, string manifestLocation)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(firstFailures);
        ArgumentNullException.ThrowIfNull(options);
        var t = summary.Totals;
        var failed = t.RegionsFailed > 0;
        var incremental = summary.IncrementalOverlapSeconds is not null;
        var what = incremental ? "findings changed" : "findings";
        var subject = Subject(failed
            ? $"SecHubFanout {(incremental ? "incremental " : string.Empty)}export {summary.ExportId} finished: {N(t.Findings)} {what}, {N(accounts.Failed)} of {N(t.Accounts)} accounts failed"
            : $"SecHubFanout {(incremental ? "incremental " : string.Empty)}export {summary.ExportId} complete: {N(t.Findings)} {what} {(incremental ? "in" : "from")} {N(t.Accounts)} accounts");

        var body = new StringBuilder();
        body.AppendLine(failed
            ? $"SecHubFanout export {summary.ExportId} finished, but {Plural(t.RegionsFailed, "account-Region")} failed (grouped below)."
            : $"SecHubFanout export {summary.ExportId} is complete.");
        body.AppendLine();
        body.AppendLine($"Findings exported:  {N(t.Findings)} ({N(t.Parts)} parts, {Size(t.Bytes)})");
        if (summary.IncrementalOverlapSeconds is { } overlap)
        {
            // Counted as exported: the overlap re-reads findings seen before, which findings_latest collapses.
            body.AppendLine($"Findings changed:   {N(t.Findings)} updated since each account-Region's watermark (minus a {Duration(overlap)} overlap; an account-Region without one was exported in full)");
        }

        body.AppendLine($"Accounts:           {N(accounts.Complete)} complete, {N(accounts.Failed)} failed, {N(accounts.NotEnabled)} not enabled (of {N(t.Accounts)})");
        body.AppendLine($"Account-Regions:    {N(t.RegionsComplete)} complete, {N(t.RegionsFailed)} failed, {N(t.RegionsNotEnabled)} not enabled (of {N(t.RegionsExpected)})");
        body.AppendLine($"Duration:           {Duration(summary.DurationSeconds ?? 0)} (started {Time(summary.StartedAt)}, finished {Time(summary.CompletedAt ?? summary.StartedAt)})");
        body.AppendLine($"Data:               s3://{options.FindingsBucket}/{FanoutNames.FindingsPrefix}");
        body.AppendLine($"Manifest:           {manifestLocation}");
        if (failed && incremental)
        {
            body.AppendLine();
            body.AppendLine("Failed account-Regions keep their watermark: the next incremental export covers what they missed.");
        }

        if (failed)
        {
            body.AppendLine();
            AppendKinds(body, summary.FailuresByKind);
            AppendFailures(body, firstFailures, t.RegionsFailed);
            body.AppendLine();
            body.AppendLine("Restart failed accounts (already exported Regions are rewritten, not duplicated):");
            body.AppendLine($"  sechub-fanout start --export-id {summary.ExportId} --accounts {string.Join(',', firstFailures.Select(f => f.AccountId).Distinct(StringComparer.Ordinal))}");
            body.AppendLine($"All failures, page by page:  sechub-fanout status {summary.ExportId} --failures");
        }

        body.AppendLine();
        body.AppendLine($"Query it in Athena (workgroup {options.AthenaWorkgroup}):");
        body.AppendLine("  SELECT severity_label, count(*) AS findings");
        body.AppendLine($"  FROM \"{options.GlueDatabase}\".\"{options.GlueTable}\"");
        body.AppendLine($"  WHERE export_id = '{summary.ExportId}'");
        body.AppendLine("  GROUP BY severity_label ORDER BY findings DESC;");
        body.AppendLine();
        body.AppendLine("Progress and details:");
        body.AppendLine($"  sechub-fanout status {summary.ExportId}");
        return (subject, body.ToString());
    }

    /// <summary>The email about one failed (account, Region) or account, sent at once for the first few failures of an export.</summary>
    public static (string Subject, string Body) Failure(string exportId, string accountId, string region, string kind, string? error)
    {
        var where = region == LaunchRegions.All ? $"account {accountId}" : $"Region {region} of account {accountId}";
        var subject = Subject($"SecHubFanout export {exportId}: {where} failed");
        var body = new StringBuilder();
        body.AppendLine($"SecHubFanout export {exportId}: {where} failed ({FailureKinds.Describe(kind)}).");
        body.AppendLine();
        body.AppendLine($"Reason: {Clean(error)}");
        body.AppendLine();
        body.AppendLine($"The other accounts and Regions carry on. The first {ImmediateFailureMails} failures of an export are mailed at once; later ones are");
        body.AppendLine("grouped into a digest every few minutes, and all of them into the completion email. To retry this account:");
        body.AppendLine($"  sechub-fanout start --export-id {exportId} --accounts {accountId}");
        body.AppendLine("Progress:");
        body.AppendLine($"  sechub-fanout status {exportId}");
        return (subject, body.ToString());
    }

    /// <summary>The digest of failures since the last failure email: how many, of which kinds, and the first few.</summary>
    public static (string Subject, string Body) Digest(ExportSummary summary, long newFailures, IReadOnlyList<RegionRecord> firstFailures)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(firstFailures);
        var t = summary.Totals;
        var subject = Subject($"SecHubFanout export {summary.ExportId}: {N(newFailures)} more account-Regions failed ({N(t.RegionsFailed)} in all)");
        var body = new StringBuilder();
        body.AppendLine($"SecHubFanout export {summary.ExportId} is still running: {N(newFailures)} more account-Regions failed since the last email, {N(t.RegionsFailed)} in all.");
        body.AppendLine($"So far: {N(t.RegionsComplete)} complete, {N(t.RegionsNotEnabled)} not enabled, {N(t.RegionsPending)} pending (of {N(t.RegionsExpected)}).");
        body.AppendLine();
        AppendKinds(body, summary.FailuresByKind);
        AppendFailures(body, firstFailures, t.RegionsFailed);
        body.AppendLine();
        body.AppendLine("A completion email follows when every account has reported. All failures, page by page:");
        body.AppendLine($"  sechub-fanout status {summary.ExportId} --failures");
        return (subject, body.ToString());
    }

    /// <summary>The email sent when the reconciler closes a launch that stopped before it had started every account.</summary>
    public static (string Subject, string Body) LaunchClosed(string exportId, long accountsLaunched, TimeSpan after)
    {
        var subject = Subject($"SecHubFanout export {exportId}: the launch stopped after {N(accountsLaunched)} accounts");
        var body = new StringBuilder();
        body.AppendLine($"SecHubFanout export {exportId}: the Launcher stopped before it had started every account, and did not resume within {Duration(after.TotalSeconds)}.");
        body.AppendLine($"The export goes on with the {N(accountsLaunched)} accounts it reached; accounts it never reached are not part of it.");
        body.AppendLine();
        body.AppendLine("The Launcher's log group and the dead-letter queue say why it stopped. Export the missing accounts with a new export:");
        body.AppendLine("  sechub-fanout start --accounts A,B,...");
        body.AppendLine("Progress of this one:");
        body.AppendLine($"  sechub-fanout status {exportId}");
        return (subject, body.ToString());
    }

    /// <summary>Error text from another account as it may appear in an email: one line, printable, at most a few hundred characters.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "no reason given";
        }

        var line = new StringBuilder(Math.Min(text.Length, MaxErrorLength + 1));
        var space = false;
        foreach (var c in text)
        {
            var printable = !char.IsControl(c) && !char.IsSurrogate(c) && c is not ('\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e');
            if (!printable || char.IsWhiteSpace(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
            if (line.Length > MaxErrorLength)
            {
                return line.ToString(0, MaxErrorLength) + "...";
            }
        }

        return line.ToString();
    }

    private static void AppendKinds(StringBuilder body, IReadOnlyDictionary<string, long> kinds)
    {
        body.AppendLine("Failed account-Regions by kind:");
        foreach (var (kind, count) in kinds)
        {
            body.AppendLine($"  {N(count),9}  {FailureKinds.Describe(kind)} ({kind})");
        }
    }

    private static void AppendFailures(StringBuilder body, IReadOnlyList<RegionRecord> failures, long total)
    {
        body.AppendLine();
        body.AppendLine(total > failures.Count ? $"The first {failures.Count} of them:" : "Each of them:");
        foreach (var f in failures.Take(MaxListedFailures))
        {
            body.AppendLine($"  {f.AccountId} {(f.Region == LaunchRegions.All ? "(not started)" : f.Region)}: {Clean(f.Error)}");
        }
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

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Subject(string text)
    {
        var ascii = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return ascii.Length <= MaxSubjectLength ? ascii : ascii[..(MaxSubjectLength - 3)] + "...";
    }
}
