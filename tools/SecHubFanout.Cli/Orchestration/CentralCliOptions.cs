using System.CommandLine;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Ledger;

namespace SecHubFanout.Cli.Orchestration;

/// <summary>The options start and status share: where the ledger is and how to reach AWS (same names as the export command).</summary>
internal sealed class CentralCliOptions
{
    public Option<string?> LedgerTable { get; } = new("--ledger-table")
    {
        Description = "The export ledger table (the CentralStack's LedgerTable output). Default: $LEDGER_TABLE.",
    };

    public Option<string?> Profile { get; } = new("--profile") { Description = "AWS profile to use (default: the standard credential chain)." };

    public Option<string?> Region { get; } = new("--region") { Description = "The central account's home Region (default: AWS_REGION)." };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "Send every AWS call to this endpoint (for local servers)." };

    public void AddTo(Command command)
    {
        command.Options.Add(LedgerTable);
        command.Options.Add(Profile);
        command.Options.Add(Region);
        command.Options.Add(EndpointUrl);
    }

    /// <summary>The ledger table from the option or the environment; throws <see cref="CliUsageException"/> when neither names one.</summary>
    public string LedgerTableName(ParseResult parse) =>
        parse.GetValue(LedgerTable) ?? Environment.GetEnvironmentVariable("LEDGER_TABLE")
        ?? throw new CliUsageException("no ledger table: pass --ledger-table (the CentralStack's LedgerTable output) or set LEDGER_TABLE");

    public async Task<AwsClients> ClientsAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        Uri? endpoint = null;
        if (parse.GetValue(EndpointUrl) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out endpoint))
        {
            throw new CliUsageException($"--endpoint-url '{url}' is not an absolute URL such as http://127.0.0.1:4566");
        }

        return await AwsClients.CreateAsync(new AwsClientOptions { Profile = parse.GetValue(Profile), Region = parse.GetValue(Region), EndpointUrl = endpoint }, cancellationToken).ConfigureAwait(false);
    }

    public static DynamoDbLedger Ledger(AwsClients clients, string table) => new(clients.CreateDynamoDbClient(), table);
}
