using System.CommandLine;
using SecHubFanout.Cli.Demo;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout demo</c>: a simulated organization on the embedded emulator, exported through the real engine.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The folder the Parquet parts go to (created when missing).", DefaultValueFactory = _ => "sechub-export" };
        var accounts = new Option<int>("--accounts") { Description = $"Simulated member accounts (1-{DemoSettings.MaxAccounts}), each exporting with its own credentials and quotas.", DefaultValueFactory = _ => 6 };
        var regions = new Option<int>("--regions") { Description = $"Regions per account (1-{DemoSettings.RegionNames.Count}), each with its own GetFindings quota.", DefaultValueFactory = _ => 3 };
        var findings = new Option<int>("--findings-per-region") { Description = "Synthetic findings in every account and Region (0-1,000,000).", DefaultValueFactory = _ => 3_000 };
        var command = new Command(
            "demo",
            "Run the whole fan-out locally, no AWS needed: starts the Security Hub emulator in-process with a simulated organization and the real " +
            "GetFindings quota (3 requests/s, burst 6, per account and Region), exports every account-Region in parallel through the same engine " +
            "into a folder as Parquet, checks the exported finding IDs against the emulator's, and compares the throughput with one delegated-administrator stream.")
        {
            output, accounts, regions, findings,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new DemoSettings(parse.GetValue(output)!, parse.GetValue(accounts), parse.GetValue(regions), parse.GetValue(findings));
            return CommandHost.RunAsync(ct => new DemoRun(settings, Console.Out, TimeProvider.System).RunAsync(ct), cancellationToken);
        });
        return command;
    }
}
