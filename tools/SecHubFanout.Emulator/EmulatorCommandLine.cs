using System.CommandLine;
using System.Globalization;

namespace SecHubFanout.Emulator;

/// <summary>The emulator's command-line options and action, shared by `sechub-fanout emulator` and the emulator's own executable.</summary>
public static class EmulatorCommandLine
{
    /// <summary>Exit code for invalid options (same as the CLI's ExitCodes.Usage).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The default port: LocalStack's, so existing AWS_ENDPOINT_URL settings keep working.</summary>
    public const int DefaultPort = 4566;

    /// <summary>What the command does, for --help.</summary>
    public const string Description =
        "Run a local AWS Security Hub (GetFindings, BatchImportFindings) with STS GetCallerIdentity and EC2 DescribeRegions on 127.0.0.1, " +
        "with the real quotas (3 req/s, burst 6 per account and Region) and optional latency, faults and dropped connections. Serves until Ctrl+C.";

    /// <summary>Adds the emulator's options and action to a command (a subcommand of sechub-fanout, or a root command); output and errors go to the console unless given.</summary>
    public static TCommand Configure<TCommand>(TCommand command, TextWriter? output = null, TextWriter? error = null)
        where TCommand : Command
    {
        ArgumentNullException.ThrowIfNull(command);
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1; 0 = any free port.", DefaultValueFactory = _ => DefaultPort };
        var accounts = new Option<string>("--accounts") { Description = "Comma-separated 12-digit account IDs; the access key ID picks the account.", DefaultValueFactory = _ => "000000000000" };
        var regions = new Option<string>("--regions") { Description = "Comma-separated Regions where Security Hub is enabled.", DefaultValueFactory = _ => "us-east-1" };
        var disabled = new Option<string>("--disabled-regions") { Description = "Comma-separated Regions that exist but where Security Hub is not enabled (401 InvalidAccessException)." };
        var denied = new Option<string>("--denied-regions") { Description = "Comma-separated enabled Regions where every Security Hub call is refused (403 AccessDeniedException), as a denying service control policy does." };
        var findings = new Option<int>("--findings-per-region") { Description = "Synthetic findings in every account and enabled Region.", DefaultValueFactory = _ => 1000 };
        var rate = new Option<double>("--get-findings-rate") { Description = "GetFindings requests per second per account and Region (AWS: 3).", DefaultValueFactory = _ => 3.0 };
        var burst = new Option<int>("--get-findings-burst") { Description = "GetFindings burst per account and Region (AWS: 6).", DefaultValueFactory = _ => 6 };
        var rateV2 = new Option<double?>("--get-findings-v2-rate") { Description = "GetFindingsV2 requests per second per account and Region (undocumented by AWS; default: --get-findings-rate)." };
        var burstV2 = new Option<int?>("--get-findings-v2-burst") { Description = "GetFindingsV2 burst per account and Region (default: --get-findings-burst)." };
        var latency = new Option<int>("--latency-ms") { Description = "Added to every Security Hub call, in milliseconds." };
        var faultRate = new Option<double>("--fault-rate") { Description = "Share of calls (0..1) answered 500 InternalException." };
        var dropRate = new Option<double>("--drop-rate") { Description = "Share of calls (0..1) whose connection is dropped." };
        var tokenLifetime = new Option<double?>("--token-lifetime-s") { Description = "NextTokens older than this many seconds are rejected; default: never." };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic findings and of fault injection.", DefaultValueFactory = _ => 42 };
        var large = new Option<int>("--large-finding-every") { Description = "Every Nth finding is about 230 KB; 0 = none." };
        foreach (var option in new Option[] { port, accounts, regions, disabled, denied, findings, rate, burst, rateV2, burstV2, latency, faultRate, dropRate, tokenLifetime, seed, large })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = output ?? Console.Out;
            var stderr = error ?? Console.Error;
            var lifetime = parse.GetValue(tokenLifetime);
            var options = new EmulatorOptions
            {
                Port = parse.GetValue(port),
                Accounts = List(parse.GetValue(accounts)),
                Regions = List(parse.GetValue(regions)),
                DisabledRegions = List(parse.GetValue(disabled)),
                DeniedRegions = List(parse.GetValue(denied)),
                FindingsPerRegion = parse.GetValue(findings),
                GetFindingsRate = parse.GetValue(rate),
                GetFindingsBurst = parse.GetValue(burst),
                GetFindingsV2Rate = parse.GetValue(rateV2),
                GetFindingsV2Burst = parse.GetValue(burstV2),
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                FaultRate = parse.GetValue(faultRate),
                DropRate = parse.GetValue(dropRate),
                TokenLifetime = lifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Seed = parse.GetValue(seed),
                LargeFindingEvery = parse.GetValue(large),
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync("error: " + problem).ConfigureAwait(false);
                }

                await stderr.WriteLineAsync("Run with --help for the options.").ConfigureAwait(false);
                return UsageExitCode;
            }

            await using var emulator = await SecurityHubEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(Instructions(emulator)).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal way to stop a server.
            }

            await stdout.WriteLineAsync("Security Hub emulator stopped.").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>How to point the aws CLI or an SDK at a running emulator.</summary>
    public static string Instructions(SecurityHubEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var o = emulator.Options;
        var endpoint = emulator.Endpoint.ToString().TrimEnd('/');
        var region = o.Regions.Except(o.DeniedRegions).DefaultIfEmpty(o.Regions[0]).First();
        return string.Join(
            Environment.NewLine,
            $"Security Hub emulator listening on {endpoint}",
            $"  accounts: {string.Join(", ", o.Accounts)}",
            $"  Regions with Security Hub: {string.Join(", ", o.Regions.Except(o.DisabledRegions))}" + (o.DisabledRegions.Count > 0 ? $"; not enabled: {string.Join(", ", o.DisabledRegions)}" : string.Empty)
                + (o.DeniedRegions.Count > 0 ? $"; access denied: {string.Join(", ", o.DeniedRegions)}" : string.Empty),
            string.Create(CultureInfo.InvariantCulture, $"  {o.FindingsPerRegion} findings per account and Region, seed {o.Seed}; GetFindings {o.GetFindingsRate} req/s, burst {o.GetFindingsBurst}; GetFindingsV2 (POST /findingsv2, OCSF) {o.GetFindingsV2Rate ?? o.GetFindingsRate} req/s, burst {o.GetFindingsV2Burst ?? o.GetFindingsBurst}"),
            string.Empty,
            "Point any AWS client at it (the access key ID picks the account, the secret is always 'test', the Region is the signing Region):",
            $"  export AWS_ENDPOINT_URL={endpoint}",
            $"  export AWS_ACCESS_KEY_ID={o.Accounts[0]}",
            "  export AWS_SECRET_ACCESS_KEY=test",
            $"  export AWS_REGION={region}",
            $"  aws securityhub get-findings --endpoint-url {endpoint} --region {region} --max-items 5",
            $"  aws sts get-caller-identity --endpoint-url {endpoint}",
            string.Empty,
            "Press Ctrl+C to stop.");
    }

    private static string[] List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
