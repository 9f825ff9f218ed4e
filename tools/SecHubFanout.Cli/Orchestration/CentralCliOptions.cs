using System.CommandLine;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Ledger;

namespace SecHubFanout.Cli.Orchestration;

/// <summary>The options start and status share: how to reach the central account (same names as the export command), and for status where the ledger is.</summary>
internal sealed class CentralCliOptions
{
    public Option<string?> LedgerTable { get; } = new("--ledger-table")
    {
        Description = "The export ledger table (the CentralStack's LedgerTable output). Default: $LEDGER_TABLE.",
    };

    public Option<string?> Profile { get; } = new("--profile") { Description = "AWS profile to use (default: the standard credential chain)." };

    public Option<string?> Region { get; } = new("--region") { Description = "The central account's home Region (default: AWS_REGION)." };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "Send every AWS call to this endpoint (for local servers)." };

    /// <summary>Adds the connection options and, when <paramref name="withLedgerTable"/>, --ledger-table.</summary>
    public void AddTo(Command command, bool withLedgerTable = true)
    {
        if (withLedgerTable)
        {
            command.Options.Add(LedgerTable);
        }

        command.Options.Add(Profile);
        command.Options.Add(Region);
        command.Options.Add(EndpointUrl);
    }

    /// <summary>The ledger table from the option or the environment; throws <see cref="UsageException"/> when neither names one.</summary>
    public string LedgerTableName(ParseResult parse) =>
        parse.GetValue(LedgerTable) ?? Environment.GetEnvironmentVariable("LEDGER_TABLE")
        ?? throw new UsageException("no ledger table: pass --ledger-table (the CentralStack's LedgerTable output) or set LEDGER_TABLE");

    /// <summary>Clients for the central account; <paramref name="timeout"/> bounds each call (default 30 seconds).</summary>
    public async Task<AwsClients> ClientsAsync(ParseResult parse, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        Uri? endpoint = null;
        if (parse.GetValue(EndpointUrl) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out endpoint))
        {
            throw new UsageException($"--endpoint-url '{url}' is not an absolute URL such as http://127.0.0.1:4566");
        }

        return await AwsClients.CreateAsync(new AwsClientOptions { Profile = parse.GetValue(Profile), Region = parse.GetValue(Region), EndpointUrl = endpoint, Timeout = timeout ?? TimeSpan.FromSeconds(30) }, cancellationToken).ConfigureAwait(false);
    }

    public static DynamoDbLedger Ledger(AwsClients clients, string table) => new(clients.CreateDynamoDbClient(), table);
}
