using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Cli.Orchestration;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Resilience;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout start</c>: starts an organization-wide export (or restarts accounts of one) through the member state machines.</summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var accounts = new Option<string?>("--accounts") { Description = "Comma-separated account IDs to start (default: every target account). With --export-id: the accounts to restart." };
        var exportId = new Option<string?>("--export-id") { Description = "Restart the --accounts of this existing export (keeps its Regions, filters and time range)." };
        var regions = new Option<string?>("--regions") { Description = "Comma-separated Regions to export, for example eu-west-1,us-east-1 (default: the Regions enabled in this account)." };
        var filters = new Option<string?>("--filters") { Description = "Security Hub filters as JSON (AwsSecurityFindingFilters), or @file to read them from a file." };
        var since = new Option<string?>("--since") { Description = "Export only findings updated at or after this ISO-8601 time, for example 2026-01-01T00:00:00Z." };
        var stackSetName = new Option<string?>("--stack-set-name") { Description = "Target the accounts with an instance of this member StackSet (the CentralStack's StackSetName output)." };
        var organization = new Option<bool>("--organization") { Description = "Target every active account of the organization (Organizations ListAccounts)." };
        var callAs = new Option<string>("--call-as") { Description = "SELF (management account) or DELEGATED_ADMIN, for --stack-set-name.", DefaultValueFactory = _ => "SELF" };
        callAs.AcceptOnlyFromAmong("SELF", "DELEGATED_ADMIN");
        var maxConcurrency = new Option<int>("--max-concurrency") { Description = "Accounts started at once.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the launch result as JSON." };
        var central = new CentralCliOptions();

        var command = new Command("start", "Start an export in every member account (or in --accounts), tracked in the export ledger; prints the export ID.")
        {
            accounts,
            exportId,
            regions,
            filters,
            since,
            stackSetName,
            organization,
            callAs,
            maxConcurrency,
            json,
        };
        central.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var request = new LaunchRequest(
                parse.GetValue(exportId),
                SplitList(parse.GetValue(accounts)),
                SplitList(parse.GetValue(regions)),
                ReadFilters(parse.GetValue(filters)),
                ParseSince(parse.GetValue(since)));
            var problems = request.Validate().ToList();
            var stackSet = parse.GetValue(stackSetName);
            var useOrganization = parse.GetValue(organization);
            if (stackSet is not null && useOrganization)
            {
                problems.Add("use either --stack-set-name or --organization, not both");
            }

            if (request.Accounts is null && stackSet is null && !useOrganization)
            {
                problems.Add("which accounts? pass --accounts A,B, --stack-set-name NAME (the member StackSet's instances) or --organization (every active account)");
            }

            if (parse.GetValue(maxConcurrency) is < 1 or > 1000)
            {
                problems.Add("--max-concurrency must be from 1 to 1000");
            }

            if (problems.Count > 0)
            {
                throw new CliUsageException(string.Join(Environment.NewLine + "error: ", problems));
            }

            var table = central.LedgerTableName(parse);
            using var clients = await central.ClientsAsync(parse, cancellationToken).ConfigureAwait(false);
            var home = clients.RegionOrHome(null);
            var time = TimeProvider.System;
            var retry = RetryPipeline.Create(new RetryOptions(), time);
            var ledger = CentralCliOptions.Ledger(clients, table);
            IAccountDirectory directory = stackSet is not null
                ? new StackSetAccountDirectory(clients.Query, stackSet, parse.GetValue(callAs)!, home, retry)
                : useOrganization ? new OrganizationsAccountDirectory(clients.Json, retry) : new GivenAccountsOnly();
            using var sts = clients.CreateStsClient();
            var launcher = new ExportLauncher(
                ledger,
                directory,
                new StepFunctionsExportStarter(clients, sts, home, retry),
                new LedgerResultHandler(ledger, time),
                new LauncherOptions { MaxConcurrency = parse.GetValue(maxConcurrency) },
                time,
                new Ec2RegionDirectory(clients.CreateRegionCatalog(), home, retry));
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
        }));
        return command;
    }

    private static void Print(LaunchResult result)
    {
        var what = result.Restart == 0 ? "Started export" : $"Restarted {result.Accounts.Count} account(s) of export";
        Console.Out.WriteLine($"{what} {result.ExportId}: {result.Started} account(s) started, {result.Failed} could not be started; Regions {string.Join(',', result.Regions)}.");
        foreach (var failed in result.Accounts.Where(a => a.Error is not null))
        {
            Console.Out.WriteLine($"  {failed.AccountId}: {failed.Error}");
        }

        Console.Out.WriteLine($"Watch it:   sechub-fanout status {result.ExportId}");
        if (result.Failed > 0)
        {
            var ids = string.Join(',', result.Accounts.Where(a => a.Error is not null).Select(a => a.AccountId));
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
                throw new CliUsageException($"--filters {value}: file '{path}' does not exist");
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
            throw new CliUsageException($"--filters is not valid JSON ({e.Message}); pass an object such as '{{\"SeverityLabel\":[{{\"Value\":\"CRITICAL\",\"Comparison\":\"EQUALS\"}}]}}' or @file.json");
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
            : throw new CliUsageException($"--since '{value}' is not an ISO-8601 time such as 2026-01-01T00:00:00Z");
    }
}
