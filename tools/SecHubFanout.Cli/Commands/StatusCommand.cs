using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Orchestration;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout status EXPORT_ID</c>: progress per account and Region from the ledger; exit 0 complete, 1 with failed parts.</summary>
internal static class StatusCommand
{
    private const int DefaultPageSize = 50;

    public static Command Create()
    {
        var exportId = new Argument<string>("export-id") { Description = "The export ID printed by 'sechub-fanout start' (and in the emails)." };
        var json = new Option<bool>("--json") { Description = "Print JSON: the summary (the manifest's head), or with --failures the page of failures and its next token." };
        var failures = new Option<bool>("--failures") { Description = "List the failed account-Regions page by page instead of the summary." };
        var pageSize = new Option<int>("--page-size") { Description = $"Failures per page with --failures (1-1000). Default {DefaultPageSize}.", DefaultValueFactory = _ => DefaultPageSize };
        var pageToken = new Option<string?>("--page-token") { Description = "The next page of failures: the token the previous page printed." };
        var central = new CentralCliOptions();
        var command = new Command(
            "status",
            "Show an export's progress: totals and failures by kind, read from the ledger's counters in constant time whatever the organization's size, " +
            "and the first failed account-Regions (all of them page by page with --failures). Exit code 0: no failure (complete or still running), 1: some account-Region failed.")
        {
            exportId,
            json,
            failures,
            pageSize,
            pageToken,
        };
        central.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandHost.RunAsync(async _ =>
        {
            var id = parse.GetValue(exportId)!;
            if (!ExportIds.IsValid(id))
            {
                throw new UsageException($"'{id}' is not an export ID (expected yyyyMMddTHHmmssZ-xxxxxxxx, as printed by 'sechub-fanout start')");
            }

            var size = parse.GetValue(pageSize);
            if (size is < 1 or > 1000)
            {
                throw new UsageException($"--page-size {size} is out of range: use 1 to 1000");
            }

            var token = parse.GetValue(pageToken);
            if (token is not null && !parse.GetValue(failures))
            {
                throw new UsageException("--page-token pages through failures: add --failures");
            }

            var table = central.LedgerTableName(parse);
            using var clients = await central.ClientsAsync(parse, cancellationToken).ConfigureAwait(false);
            var ledger = CentralCliOptions.Ledger(clients, table);
            var export = await ledger.GetExportAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new UsageException($"there is no export '{id}' in ledger table {table}: check the ID and --ledger-table");
            var summary = ExportSummary.From(export, await ledger.GetCountersAsync(export, cancellationToken).ConfigureAwait(false));
            FailurePage page;
            try
            {
                page = await ledger.ListFailuresAsync(id, token, parse.GetValue(failures) ? size : 10, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            if (parse.GetValue(failures))
            {
                Console.Out.Write(parse.GetValue(json)
                    ? JsonSerializer.Serialize(page, OrchestrationJsonContext.Default.FailurePage) + Environment.NewLine
                    : RenderFailures(id, page));
            }
            else
            {
                Console.Out.Write(parse.GetValue(json)
                    ? JsonSerializer.Serialize(summary, OrchestrationJsonContext.Default.ExportSummary) + Environment.NewLine
                    : Render(summary, page));
            }

            return summary.Totals.RegionsFailed > 0 ? ExitCodes.Failed : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    internal static string Render(ExportSummary summary, FailurePage firstFailures)
    {
        var t = summary.Totals;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Export {summary.ExportId}: {summary.State}");
        var completed = summary.CompletedAt is { } end ? string.Create(CultureInfo.InvariantCulture, $", completed {end.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({ExportMessages.Duration(summary.DurationSeconds ?? 0)})") : string.Empty;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Started {summary.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{completed}"));
        text.AppendLine(summary.Regions.Count > 0 ? $"Regions: {string.Join(',', summary.Regions)}" : "Regions: the ones enabled in each account");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Findings: {t.Findings:N0} in {t.Parts:N0} parts ({ExportMessages.Size(t.Bytes)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Accounts: {t.Accounts:N0} launched so far, {t.AccountsLaunchFailed:N0} could not be started");
        text.AppendLine(CultureInfo.InvariantCulture, $"Account-Regions: {t.RegionsComplete:N0} complete, {t.RegionsFailed:N0} failed, {t.RegionsNotEnabled:N0} not enabled, {t.RegionsPending:N0} pending (of {t.RegionsExpected:N0})");
        if (summary.LaunchedAt is null)
        {
            text.AppendLine("Still launching: the launcher has not started every account yet; run this again later.");
        }
        else if (t.RegionsPending > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Still running: {t.RegionsPending:N0} of {t.RegionsExpected:N0} account-Regions have not reported yet; run this again later.");
        }
        else if (summary.State == ExportState.Running)
        {
            text.AppendLine("Every account-Region has reported; the coordinator is writing the manifest and the completion email.");
        }

        if (t.RegionsFailed > 0)
        {
            text.AppendLine();
            text.AppendLine("Failed account-Regions by kind:");
            foreach (var (kind, count) in summary.FailuresByKind)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {count,9:N0}  {FailureKinds.Describe(kind)} ({kind})");
            }

            text.AppendLine();
            text.Append(RenderFailures(summary.ExportId, firstFailures));
            var ids = string.Join(',', firstFailures.Failures.Select(f => f.AccountId).Distinct(StringComparer.Ordinal));
            text.AppendLine(CultureInfo.InvariantCulture, $"Retry failed accounts: sechub-fanout start --export-id {summary.ExportId} --accounts {ids}");
        }

        return text.ToString();
    }

    internal static string RenderFailures(string exportId, FailurePage page)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"ACCOUNT",-12}  {"REGION",-15}  {"KIND",-16}  ERROR");
        foreach (var f in page.Failures)
        {
            var region = f.Region == LaunchRegions.All ? "(all)" : f.Region;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{f.AccountId,-12}  {region,-15}  {FailureKinds.Classify(f.FailureKind, f.Error),-16}  {ExportMessages.Clean(f.Error)}").TrimEnd());
        }

        if (page.NextToken is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"More: sechub-fanout status {exportId} --failures --page-token {page.NextToken}");
        }

        return text.ToString();
    }
}
