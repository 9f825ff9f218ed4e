using System.CommandLine;
using SecHubFanout.Cli.Analytics;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout query "SQL"</c>: SQL over an export folder's Parquet with DuckDB, through the same views as Athena.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql")
        {
            Description = "The SQL to run (DuckDB dialect). Tables: findings (ASFF, the Athena table's columns) with the views " +
                "findings_latest, findings_hourly, top_failing_controls, findings_by_account_region; findings_ocsf (OCSF, from export --api v2) " +
                "with findings_ocsf_latest, findings_ocsf_hourly, findings_ocsf_failing_controls, findings_ocsf_by_account_region. " +
                "Which tables the export holds is printed on stderr.",
        };
        var input = AnalyticsOptions.Input();
        var format = new Option<string>("--format")
        {
            Description = "Output: table (for people), csv or json (for scripts).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong(ResultWriter.Formats);

        var command = new Command("query", "Run SQL over exported findings locally (DuckDB over the Parquet files, no AWS needed).")
        {
            sql,
            input,
            format,
        };
        command.SetAction((parse, cancellationToken) => CommandHost.RunAsync(
            _ =>
            {
                using var database = FindingsDatabase.Open(parse.GetValue(input)!.FullName);
                var result = database.Query(parse.GetValue(sql)!);

                // On stderr, so csv and json output stays machine-readable; after the query, so an error is still the first line.
                Console.Error.WriteLine("Reading " + database.Describe());
                ResultWriter.Write(result, parse.GetValue(format)!, Console.Out);
                return Task.FromResult(ExitCodes.Success);
            },
            cancellationToken));
        return command;
    }
}
