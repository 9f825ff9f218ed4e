using Amazon.DynamoDBv2;
using Amazon.Runtime;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Coordinator.Tests.Fakes;

/// <summary>A fresh ledger table on a running dynalite, one per test so tests do not see each other's exports.</summary>
internal static class LedgerTable
{
    public static AmazonDynamoDBClient Client(DynaliteServer server) =>
        new(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });

    public static async Task<DynamoDbLedger> CreateAsync(IAmazonDynamoDB client, CancellationToken cancellationToken)
    {
        var name = "ledger-" + Guid.NewGuid().ToString("N");
        await DynamoDbLedger.CreateTableAsync(client, name, cancellationToken);
        return new DynamoDbLedger(client, name);
    }
}
