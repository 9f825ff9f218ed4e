using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Emulator.Local;

/// <summary>The export ledger's table on a local DynamoDB stand-in, shaped as the CentralStack creates it.</summary>
public static class LocalLedgerTable
{
    /// <summary>Creates the ledger table (on-demand, pk/sk strings, the failures index) and waits until it is active: for local servers (dynalite) in tests and the organization benchmark; the CentralStack creates the real one.</summary>
    public static async Task CreateAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = tableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions =
                [
                    new AttributeDefinition("pk", ScalarAttributeType.S),
                    new AttributeDefinition("sk", ScalarAttributeType.S),
                    new AttributeDefinition(FanoutNames.LedgerFailuresPartitionKey, ScalarAttributeType.S),
                    new AttributeDefinition(FanoutNames.LedgerFailuresSortKey, ScalarAttributeType.S),
                ],
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
                GlobalSecondaryIndexes =
                [
                    new GlobalSecondaryIndex
                    {
                        IndexName = FanoutNames.LedgerFailuresIndex,
                        KeySchema = [new KeySchemaElement(FanoutNames.LedgerFailuresPartitionKey, KeyType.HASH), new KeySchemaElement(FanoutNames.LedgerFailuresSortKey, KeyType.RANGE)],
                        Projection = new Projection { ProjectionType = ProjectionType.ALL },
                    },
                ],
            },
            cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var table = await client.DescribeTableAsync(tableName, cancellationToken).ConfigureAwait(false);
            if (table.Table.TableStatus == TableStatus.ACTIVE)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"table {tableName} did not become active");
    }
}
