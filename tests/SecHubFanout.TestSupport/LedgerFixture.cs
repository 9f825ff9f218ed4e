using Amazon.DynamoDBv2;
using Amazon.Runtime;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Emulator.Local;

namespace SecHubFanout.TestSupport;

/// <summary>
/// A dynalite server and a DynamoDB client for it, for tests of the export ledger. Each test makes its own table
/// (<see cref="CreateTableAsync"/>, <see cref="CreateLedgerAsync"/>), so tests sharing one server never see each other's exports.
/// </summary>
public sealed class LedgerFixture : IAsyncDisposable
{
    /// <summary>The access key ID the client signs with (dynalite accepts any credentials; a process under test can use the same).</summary>
    public const string AccessKey = "AKIDEXAMPLE";

    /// <summary>The secret key the client signs with.</summary>
    public const string SecretKey = "secret";

    /// <summary>The Region the client signs for (dynalite keeps one set of tables whatever the Region).</summary>
    public const string Region = "us-east-1";

    private LedgerFixture(DynaliteServer server)
    {
        Server = server;
        Client = new AmazonDynamoDBClient(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = Region });
    }

    /// <summary>The dynalite server.</summary>
    public DynaliteServer Server { get; }

    /// <summary>A client for <see cref="Server"/>.</summary>
    public AmazonDynamoDBClient Client { get; }

    /// <summary>Starts dynalite and makes the client.</summary>
    public static async Task<LedgerFixture> StartAsync() => new(await DynaliteServer.StartAsync().ConfigureAwait(false));

    /// <summary>Creates a ledger table with a fresh name and returns the name.</summary>
    public async Task<string> CreateTableAsync(CancellationToken cancellationToken)
    {
        var name = "ledger-" + Guid.NewGuid().ToString("N");
        await LocalLedgerTable.CreateAsync(Client, name, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>A ledger over a fresh table of its own.</summary>
    public async Task<DynamoDbLedger> CreateLedgerAsync(CancellationToken cancellationToken) =>
        new(Client, await CreateTableAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Disposes the client and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
