using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Checkpoints;

/// <summary>
/// Keeps each Region's latest checkpoint as one item of a DynamoDB table in the member account: key <c>pk</c> =
/// <c>&lt;exportId&gt;/&lt;accountId&gt;/&lt;region&gt;</c>, the checkpoint's JSON, its revision, and an expiry (<c>expiresAt</c>, the
/// table's time to live) a few days on. A save never replaces a later revision; reads are strongly consistent.
/// </summary>
public sealed class DynamoDbCheckpointStore : ICheckpointStore
{
    /// <summary>How long an item is kept after its last save (the table's time to live removes it afterwards).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over <paramref name="tableName"/>.</summary>
    public DynamoDbCheckpointStore(IAmazonDynamoDB client, string tableName, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _client = client;
        _table = tableName;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The item key of one export, account and Region.</summary>
    public static string Key(string exportId, string accountId, string region) => $"{exportId}/{accountId}/{region}";

    /// <inheritdoc/>
    public async Task<ExportCheckpoint?> LoadAsync(string exportId, string accountId, string region, CancellationToken cancellationToken)
    {
        var key = Key(exportId, accountId, region);
        GetItemResponse response;
        try
        {
            response = await _client.GetItemAsync(
                new GetItemRequest { TableName = _table, Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key } }, ConsistentRead = true },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw Failure("Reading", key, "dynamodb:GetItem", e);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Reading checkpoint {key} from table {_table} failed before DynamoDB answered: {e.Message}", innerException: e);
        }

        if (response.Item is not { Count: > 0 } item || !item.TryGetValue("checkpoint", out var json) || json.S is null)
        {
            return null;
        }

        try
        {
            return ExportCheckpoint.Parse(json.S);
        }
        catch (FormatException e)
        {
            throw new ServiceCallException(ServiceErrorKind.InvalidInput, $"Checkpoint {key} in table {_table} is not a checkpoint: {e.Message}", innerException: e);
        }
    }

    /// <inheritdoc/>
    public async Task SaveAsync(ExportCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var key = Key(checkpoint.ExportId, checkpoint.AccountId, checkpoint.Region);
        var expires = (_timeProvider.GetUtcNow() + Retention).ToUnixTimeSeconds();
        var request = new PutItemRequest
        {
            TableName = _table,
            Item = new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = key },
                ["checkpoint"] = new() { S = checkpoint.ToJson() },
                ["revision"] = new() { N = checkpoint.Revision.ToString(CultureInfo.InvariantCulture) },
                ["expiresAt"] = new() { N = expires.ToString(CultureInfo.InvariantCulture) },
            },

            // Saves arrive in order from one run; a later revision already there belongs to a newer run of the same Region.
            ConditionExpression = "attribute_not_exists(pk) OR revision <= :revision",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":revision"] = new() { N = checkpoint.Revision.ToString(CultureInfo.InvariantCulture) } },
        };
        try
        {
            await _client.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Keep the later revision: this run is behind another one of the same Region.
        }
        catch (AmazonServiceException e)
        {
            throw Failure("Saving", key, "dynamodb:PutItem", e);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Saving checkpoint {key} to table {_table} failed before DynamoDB answered: {e.Message}", innerException: e);
        }
    }

    private ServiceCallException Failure(string doing, string key, string permission, AmazonServiceException e)
    {
        var kind = AwsErrorMapper.Classify((int)e.StatusCode, e.ErrorCode, e.Message);
        var hint = kind == ServiceErrorKind.AccessDenied ? $" The exporter role needs {permission} on table {_table}." : string.Empty;
        return new ServiceCallException(kind, $"{doing} checkpoint {key} in table {_table} failed ({e.ErrorCode ?? ((int)e.StatusCode).ToString(CultureInfo.InvariantCulture)}): {e.Message}.{hint}", e.ErrorCode, (int)e.StatusCode, e);
    }
}
