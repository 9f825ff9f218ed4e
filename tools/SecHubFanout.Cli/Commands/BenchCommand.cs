using SecHubFanout.Core.Queries;
using System.CommandLine;
using SecHubFanout.Cli.Bench;
using SecHubFanout.Cli.Bench.Organization;
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
        var latency = new Option<int[]>("--latency-ms")
        {
            Description = "Latency the emulator adds to every Security Hub call, in milliseconds. Several values (--latency-ms 0 700 1500) run the " +
                "benchmark once per latency and end with one table of saturation by latency.",
            DefaultValueFactory = _ => [0],
            AllowMultipleArgumentsPerToken = true,
        };
        var baselinePages = new Option<int>("--baseline-pages") { Description = "Pages of the baseline stream timed after its burst (its bounded sample).", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Also print the figures as one line of JSON, the last line of the output." };
        var api = new Option<string>("--api") { Description = "v1: every stream pages GetFindings (ASFF); v2: GetFindingsV2 (OCSF), under the same assumed quota. The JSON keys are the same.", DefaultValueFactory = _ => "v1" };
        api.AcceptOnlyFromAmong([.. FindingsApis.Names]);
        var scaling = new Option<int>("--memory-scaling")
        {
            Description = "Also measure memory scaling: export the same organization at N and FACTOR x N findings per Region (e.g. 10), each in a fresh " +
                "child process that holds only the exporter (the emulator serves from this process), and report each one's peak heap and working set.",
            HelpName = "FACTOR",
        };
        var scalingFindings = new Option<int>("--memory-scaling-findings")
        {
            Description = "Findings per Region of the memory-scaling phase at 1x (default: --findings-per-region), so it can go past the row-group point without a long paced fan-out.",
            HelpName = "N",
        };
        var scalingPaced = new Option<bool>("--memory-scaling-paced") { Description = "Keep the real GetFindings quota in the memory-scaling exports (default: off, so 10x stays affordable)." };
        var scalingHeapLimit = new Option<int>("--memory-scaling-heap-limit-mb")
        {
            Description = "GC heap hard limit of the memory-scaling child processes, in MiB (384 is what a 512 MB Lambda function gives .NET). Default: none.",
            HelpName = "MB",
        };
        var command = new Command(
            "bench",
            "Measure the fan-out against the approach it replaces, in one process, on the in-process emulator with the real GetFindings quota " +
            "(3 requests/s, burst 6, per account and Region): first one delegated-administrator stream (sequential NextToken paging under one quota, " +
            "a bounded sample), then accounts x Regions exporters in parallel through the engine into Parquet in a temporary folder (deleted afterwards). " +
            "Prints throughput, speedup, quota saturation, CPU per finding and peak memory.")
        {
            accounts, regions, findings, latency, baselinePages, json, scaling, scalingFindings, scalingPaced, scalingHeapLimit, api,
        };
        command.Subcommands.Add(MemoryProbeCommand());
        command.Subcommands.Add(OrganizationCommand());
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new BenchSettings(
                parse.GetValue(accounts),
                parse.GetValue(regions),
                parse.GetValue(findings),
                0,
                parse.GetValue(baselinePages),
                parse.GetValue(json),
                parse.GetValue(scaling),
                parse.GetValue(scalingPaced),
                parse.GetValue(scalingHeapLimit),
                parse.GetValue(scalingFindings),
                FindingsApis.Parse(parse.GetValue(api)));
            var latencies = parse.GetValue(latency) ?? [0];
            return CommandHost.RunAsync(ct => LatencySweep.RunAsync(settings, latencies, Console.Out, TimeProvider.System, ct), cancellationToken);
        });
        return command;
    }

    private static Command OrganizationCommand()
    {
        var accounts = new Option<int>("--accounts") { Description = $"Simulated member accounts (1-{OrgBenchSettings.MaxAccounts}).", DefaultValueFactory = _ => 100 };
        var regions = new Option<int>("--regions") { Description = $"Regions per account (1-{OrgBenchSettings.RegionNames.Count}).", DefaultValueFactory = _ => 17 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency of every simulated member call (AssumeRole, DescribeRegions, StartExecution), in milliseconds.", DefaultValueFactory = _ => 50 };
        var budget = new Option<int>("--launcher-budget-seconds") { Description = "How long one launcher invocation launches before it hands the rest on (a Lambda function's budget).", DefaultValueFactory = _ => 60 };
        var endpoint = new Option<string?>("--dynamodb-endpoint") { Description = "A DynamoDB endpoint for the ledger (default: start dynalite from the repository's tests/tools)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated faults and the delivery order.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Also print the figures as one line of JSON, the last line of the output." };
        var command = new Command(
            "org",
            "Measure the control plane at organization scale: the real launcher, coordinator (trust boundary included), DynamoDB ledger (dynalite) " +
            "and reconciler run one export against simulated members (50 ms AssumeRole/DescribeRegions/StartExecution under STS's quota; results " +
            "in random order with 5% duplicates, 1% forged, 1% executions that die without a result; one Region denied by policy in a fifth of the " +
            "accounts). Exit code 0 only when nothing forged was accepted, nothing is pending, one completion email was sent and every finding is counted.")
        {
            accounts, regions, latency, budget, endpoint, seed, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var url = parse.GetValue(endpoint);
            return CommandHost.RunAsync(
                ct =>
                {
                    if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
                    {
                        throw new UsageException($"--dynamodb-endpoint '{url}' is not an absolute URL (for example http://127.0.0.1:8000)");
                    }

                    var settings = new OrgBenchSettings(
                        parse.GetValue(accounts), parse.GetValue(regions), parse.GetValue(json), url is null ? null : new Uri(url), parse.GetValue(latency), parse.GetValue(budget), parse.GetValue(seed));
                    return new OrgBenchRun(settings, Console.Out).RunAsync(ct);
                },
                cancellationToken);
        });
        return command;
    }

    // The child process of the memory-scaling phase; not for people, hence hidden.
    private static Command MemoryProbeCommand()
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The emulator to export from.", Required = true };
        var accounts = new Option<int>("--accounts") { DefaultValueFactory = _ => 1 };
        var regions = new Option<int>("--regions") { DefaultValueFactory = _ => 1 };
        var paced = new Option<bool>("--paced");
        var command = new Command("memory-probe", "Export a simulated organization from an emulator and report the process's peak memory as one line of JSON.")
        {
            endpoint, accounts, regions, paced,
        };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) =>
        {
            var probe = new MemoryProbe(new Uri(parse.GetValue(endpoint)!), parse.GetValue(accounts), parse.GetValue(regions), parse.GetValue(paced), Console.Out);
            return CommandHost.RunAsync(probe.RunAsync, cancellationToken);
        });
        return command;
    }
}
