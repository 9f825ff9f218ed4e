using System.CommandLine;
using SecHubFanout.Cli.Analytics;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout report</c>: one self-contained HTML file with the charts and tables of the analytics views.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var input = AnalyticsOptions.Input();
        var output = new Option<FileInfo>("--out")
        {
            Description = "The HTML file to write (one file, works offline).",
            DefaultValueFactory = _ => new FileInfo("report.html"),
        };

        var table = new Option<string?>("--table")
        {
            Description = "The table to report on: findings (ASFF, export --api v1) or findings_ocsf (OCSF, export --api v2). Default: findings when the export holds it, else findings_ocsf.",
        };
        table.AcceptOnlyFromAmong([.. FindingTable.All.Select(t => t.Name)]);

        var command = new Command("report", "Write an offline HTML report of exported findings: per hour by severity, compliance, top failing controls, accounts and Regions.")
        {
            input,
            output,
            table,
        };
        command.SetAction((parse, cancellationToken) => CommandHost.RunAsync(
            async ct =>
            {
                var file = parse.GetValue(output)!;
                string html;
                ReportSource source;
                using (var database = FindingsDatabase.Open(parse.GetValue(input)!.FullName))
                {
                    source = ReportSource.Choose(database, parse.GetValue(table));
                    html = ReportBuilder.Build(database, source, TimeProvider.System.GetUtcNow());
                }

                try
                {
                    file.Directory?.Create();
                    await File.WriteAllTextAsync(file.FullName, html, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot write {file.FullName}: {e.Message} (choose another --out)", e);
                }

                await Console.Out.WriteLineAsync($"Wrote {file.FullName} (table {source.Table.Name})").ConfigureAwait(false);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }
}
