using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace SecHubFanout.TestSupport;

/// <summary>Creates a table shaped like the member stack's checkpoint table (key <c>pk</c>, on demand) on a local DynamoDB server.</summary>
public static class LocalCheckpointTable
{
    /// <summary>Creates a table with a fresh name, waits until it is active, and returns the name.</summary>
    public static async Task<string> CreateAsync(IAmazonDynamoDB client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var name = "checkpoints-" + Guid.NewGuid().ToString("N");
        await client.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = name,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            },
            cancellationToken).ConfigureAwait(false);
        while ((await client.DescribeTableAsync(name, cancellationToken).ConfigureAwait(false)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return name;
    }
}
