using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SecHubFanout.Cli.Orchestration;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout status EXPORT_ID</c>: progress per account and Region from the ledger; exit 0 complete, 1 with failed parts.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var exportId = new Argument<string>("export-id") { Description = "The export ID printed by 'sechub-fanout start' (and in the emails)." };
        var json = new Option<bool>("--json") { Description = "Print the progress as JSON (the manifest's shape)." };
        var central = new CentralCliOptions();
        var command = new Command("status", "Show an export's progress per account and Region. Exit code 0: complete (or running without failures), 1: some part failed.")
        {
            exportId,
            json,
        };
        central.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var id = parse.GetValue(exportId)!;
            if (!ExportIds.IsValid(id))
            {
                throw new CliUsageException($"'{id}' is not an export ID (expected yyyyMMddTHHmmssZ-xxxxxxxx, as printed by 'sechub-fanout start')");
            }

            var table = central.LedgerTableName(parse);
            using var clients = await central.ClientsAsync(parse, cancellationToken).ConfigureAwait(false);
            var snapshot = await CentralCliOptions.Ledger(clients, table).ReadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new CliUsageException($"there is no export '{id}' in ledger table {table}: check the ID and --ledger-table");
            var progress = ExportProgress.From(snapshot);
            Console.Out.Write(parse.GetValue(json)
                ? JsonSerializer.Serialize(progress, OrchestrationJsonContext.Default.ExportProgress) + Environment.NewLine
                : Render(progress));
            return progress.Failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The table people read: one line per (account, Region), then totals and what to do next.</summary>
    internal static string Render(ExportProgress progress)
    {
        var t = progress.Totals;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Export {progress.ExportId}: {progress.State}");
        var completed = progress.CompletedAt is { } end ? string.Create(CultureInfo.InvariantCulture, $", completed {end.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({ExportMessages.Duration(progress.DurationSeconds ?? 0)})") : string.Empty;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Started {progress.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{completed}"));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"ACCOUNT",-12}  {"REGION",-15}  {"STATUS",-11}  {"FINDINGS",12}  {"PARTS",6}  {"SIZE",9}  ERROR");
        foreach (var account in progress.Accounts)
        {
            if (account.Regions.Count == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{account.AccountId,-12}  {"-",-15}  {account.Launch,-11}");
            }

            foreach (var r in account.Regions)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{account.AccountId,-12}  {r.Region,-15}  {r.Status,-11}  {r.Findings,12:N0}  {r.Parts,6:N0}  {ExportMessages.Size(r.Bytes),9}  {r.Error}").TrimEnd());
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Findings: {t.Findings:N0} in {t.Parts:N0} parts ({ExportMessages.Size(t.Bytes)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Accounts: {t.AccountsComplete} complete, {t.AccountsFailed} failed, {t.AccountsNotEnabled} not enabled, {t.AccountsRunning} running (of {t.Accounts})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Account-Regions: {t.RegionsComplete} complete, {t.RegionsFailed} failed, {t.RegionsNotEnabled} not enabled, {t.RegionsPending} pending (of {t.RegionsExpected})");
        if (!progress.IsFinished)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Still running: {t.RegionsPending} of {t.RegionsExpected} account-Regions have not reported yet; run this again later.");
        }
        else if (progress.State == ExportState.Running)
        {
            text.AppendLine("Every account-Region has reported; the coordinator is writing the manifest and the completion email.");
        }

        if (progress.Failures.Count > 0)
        {
            var ids = string.Join(',', progress.Failures.Select(f => f.AccountId).Distinct(StringComparer.Ordinal));
            text.AppendLine(CultureInfo.InvariantCulture, $"Retry the failed accounts: sechub-fanout start --export-id {progress.ExportId} --accounts {ids}");
        }

        return text.ToString();
    }
}
