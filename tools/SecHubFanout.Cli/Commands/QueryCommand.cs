using System.CommandLine;
using SecHubFanout.Cli.Analytics;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout query "SQL"</c>: SQL over an export folder's Parquet with DuckDB, through the same views as Athena.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql")
        {
            Description = "The SQL to run (DuckDB dialect). Tables: findings (the Athena table's columns) and the views " +
                "findings_latest, findings_hourly, top_failing_controls, findings_by_account_region.",
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
        command.SetAction((parse, cancellationToken) =>
        {
            try
            {
                using var database = FindingsDatabase.Open(parse.GetValue(input)!.FullName);
                var result = database.Query(parse.GetValue(sql)!);
                ResultWriter.Write(result, parse.GetValue(format)!, Console.Out);
                return Task.FromResult(ExitCodes.Success);
            }
            catch (AnalyticsInputException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return Task.FromResult(ExitCodes.Usage);
            }
        });
        return command;
    }
}
