using System.CommandLine;
using SecHubFanout.Cli.Bench;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout bench</c>: the fan-out against the single-administrator baseline on the in-process emulator, with real quotas.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var accounts = new Option<int>("--accounts") { Description = $"Simulated member accounts (1-{BenchSettings.MaxAccounts}).", DefaultValueFactory = _ => 2 };
        var regions = new Option<int>("--regions") { Description = "Regions per account (1-8), each with its own GetFindings quota.", DefaultValueFactory = _ => 2 };
        var findings = new Option<int>("--findings-per-region") { Description = "Synthetic findings in every account and Region.", DefaultValueFactory = _ => 6_000 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency the emulator adds to every Security Hub call, in milliseconds.", DefaultValueFactory = _ => 0 };
        var baselinePages = new Option<int>("--baseline-pages") { Description = "Pages of the baseline stream timed after its burst (its bounded sample).", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Also print the figures as one line of JSON, the last line of the output." };
        var command = new Command(
            "bench",
            "Measure the fan-out against the approach it replaces, in one process, on the in-process emulator with the real GetFindings quota " +
            "(3 requests/s, burst 6, per account and Region): first one delegated-administrator stream (sequential NextToken paging under one quota, " +
            "a bounded sample), then accounts x Regions exporters in parallel through the engine into Parquet in a temporary folder (deleted afterwards). " +
            "Prints throughput, speedup, quota saturation, CPU per finding and peak memory.")
        {
            accounts, regions, findings, latency, baselinePages, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new BenchSettings(
                parse.GetValue(accounts),
                parse.GetValue(regions),
                parse.GetValue(findings),
                parse.GetValue(latency),
                parse.GetValue(baselinePages),
                parse.GetValue(json));
            return CommandHost.RunAsync(ct => new BenchRun(settings, Console.Out, TimeProvider.System).RunAsync(ct), cancellationToken);
        });
        return command;
    }
}
