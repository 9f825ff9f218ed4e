using System.CommandLine;
using SecHubFanout.Cli.Analytics;

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

        var command = new Command("report", "Write an offline HTML report of exported findings: per hour by severity, compliance, top failing controls, accounts and Regions.")
        {
            input,
            output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(output)!;
            try
            {
                string html;
                using (var database = FindingsDatabase.Open(parse.GetValue(input)!.FullName))
                {
                    html = ReportBuilder.Build(database, TimeProvider.System.GetUtcNow());
                }

                if (file.Directory is { Exists: false } directory)
                {
                    directory.Create();
                }

                await File.WriteAllTextAsync(file.FullName, html, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"Wrote {file.FullName}").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (AnalyticsInputException e)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"error: cannot write {file.FullName}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (UnauthorizedAccessException e)
            {
                await Console.Error.WriteLineAsync($"error: cannot write {file.FullName}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }
}
