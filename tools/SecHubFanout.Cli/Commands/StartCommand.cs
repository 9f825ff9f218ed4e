using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Cli.Orchestration;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Cli.Commands;

/// <summary>
/// <c>sechub-fanout start</c>: invokes the central Launcher Lambda, which starts an organization-wide export (or restarts
/// accounts of one). The launch runs there, not here, because only the Launcher's role may assume the members' TriggerRoles,
/// and the Launcher knows the deployment's target accounts (the StackSet), default Regions and ledger.
/// </summary>
internal static class StartCommand
{
    // The Launcher's own timeout is 15 minutes (CentralStack); a RequestResponse invocation answers when the function ends.
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromMinutes(16);

    public static Command Create()
    {
        var accounts = new Option<string?>("--accounts") { Description = "Comma-separated account IDs to start (default: every account with the member exporter). With --export-id: the accounts to restart." };
        var exportId = new Option<string?>("--export-id") { Description = "Restart the --accounts of this existing export (keeps its Regions, filters and time range)." };
        var regions = new Option<string?>("--regions") { Description = "Comma-separated Regions to export, for example eu-west-1,us-east-1 (default: the CentralStack's Regions parameter, else the Regions enabled in each account, as that account's own DescribeRegions lists them)." };
        var filters = new Option<string?>("--filters") { Description = "Security Hub filters as JSON (AwsSecurityFindingFilters), or @file to read them from a file." };
        var since = new Option<string?>("--since") { Description = "Export only findings updated at or after this ISO-8601 time, for example 2026-01-01T00:00:00Z." };
        var api = new Option<string?>("--api") { Description = "v1 (GetFindings: ASFF findings into the findings table; default) or v2 (GetFindingsV2: OCSF findings into findings_ocsf; --filters then in OcsfFindingFilters form). A restart keeps the export's own." };
        var incremental = new Option<bool>("--incremental") { Description = "Start an incremental export: each account-Region only from where its last completed export ended (its watermark in the ledger) minus --overlap; one without a watermark is exported in full. A failed Region keeps its watermark, so the next run covers the gap. Not with --since, --filters or --export-id." };
        var overlap = new Option<string?>("--overlap") { Description = "With --incremental: how far before each watermark to start again, for findings Security Hub makes visible late, e.g. 15m, 90s, 1h. Default: 15m." };
        var launcherFunction = new Option<string>("--launcher-function")
        {
            Description = $"The central Launcher Lambda to invoke (the CentralStack's LauncherFunctionName output). Default: {FanoutNames.LauncherFunction}.",
            DefaultValueFactory = _ => FanoutNames.LauncherFunction,
        };
        var json = new Option<bool>("--json") { Description = "Print the launch result as JSON." };
        var central = new CentralCliOptions();

        var command = new Command("start", "Start an export in every member account (or in --accounts) by invoking the central Launcher Lambda; prints the export ID.")
        {
            accounts,
            exportId,
            regions,
            filters,
            since,
            api,
            incremental,
            overlap,
            launcherFunction,
            json,
        };
        central.AddTo(command, withLedgerTable: false);
        command.SetAction((parse, cancellationToken) => CommandHost.RunAsync(async _ =>
        {
            var request = new LaunchRequest(
                parse.GetValue(exportId),
                SplitList(parse.GetValue(accounts)),
                SplitList(parse.GetValue(regions)),
                ReadFilters(parse.GetValue(filters)),
                ParseSince(parse.GetValue(since)),
                Api: parse.GetValue(api),
                Incremental: parse.GetValue(incremental),
                Overlap: parse.GetValue(overlap));
            var problems = request.Validate();
            if (LambdaLauncherClient.ProblemWithFunctionName(parse.GetValue(launcherFunction)) is { } functionProblem)
            {
                problems = [.. problems, functionProblem];
            }

            if (problems.Count > 0)
            {
                throw new UsageException(string.Join(Environment.NewLine + "error: ", problems));
            }

            using var clients = await central.ClientsAsync(parse, cancellationToken, InvokeTimeout).ConfigureAwait(false);
            var launcher = new LambdaLauncherClient(clients.RestJson, parse.GetValue(launcherFunction)!, clients.RegionOrHome(null));
            var result = await launcher.StartAsync(request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result, OrchestrationJsonContext.Default.LaunchResult));
            }
            else
            {
                Print(result);
            }

            return result.Failed > 0 ? ExitCodes.Failed : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static void Print(LaunchResult result)
    {
        var what = result.Restart == 0 ? "Started export" : $"Restarted {result.Started + result.Failed} account(s) of export";
        var regions = result.Regions.Count > 0 ? string.Join(',', result.Regions) : "the ones enabled in each account";
        Console.Out.WriteLine($"{what} {result.ExportId}: {result.Started} account(s) started, {result.Failed} could not be started; Regions {regions}.");
        foreach (var failed in result.Failures)
        {
            Console.Out.WriteLine($"  {failed.AccountId}: {failed.Error}");
        }

        if (result.Continued)
        {
            Console.Out.WriteLine("The launcher goes on starting the remaining accounts in the background (the organization is larger than one invocation).");
        }

        Console.Out.WriteLine($"Watch it:   sechub-fanout status {result.ExportId}");
        if (result.Failed > 0)
        {
            var ids = string.Join(',', result.Failures.Select(a => a.AccountId));
            Console.Out.WriteLine($"Retry:      sechub-fanout start --export-id {result.ExportId} --accounts {ids}");
        }
    }

    private static List<string>? SplitList(string? value) =>
        value is null ? null : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static JsonElement? ReadFilters(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value;
        if (value.StartsWith('@'))
        {
            var path = value[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"--filters {value}: file '{path}' does not exist");
            }

            text = File.ReadAllText(path);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"--filters is not valid JSON ({e.Message}); pass an object such as '{{\"SeverityLabel\":[{{\"Value\":\"CRITICAL\",\"Comparison\":\"EQUALS\"}}]}}' or @file.json");
        }
    }

    private static DateTimeOffset? ParseSince(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var since)
            ? since
            : throw new UsageException($"--since '{value}' is not an ISO-8601 time such as 2026-01-01T00:00:00Z");
    }
}
