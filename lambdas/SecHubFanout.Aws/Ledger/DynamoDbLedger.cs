using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Ledger;

/// <summary>
/// The export ledger in one DynamoDB table with string keys <c>pk</c> (<c>EXPORT#&lt;exportId&gt;</c>) and <c>sk</c>
/// (<c>#EXPORT</c>, <c>ACCOUNT#&lt;account&gt;</c>, <c>REGION#&lt;account&gt;#&lt;region&gt;</c>). Every state change is a
/// conditional write, and reads that decide completion are strongly consistent, so concurrent results cannot both miss
/// each other and only one caller can claim an export's completion.
/// </summary>
public sealed class DynamoDbLedger : ILedger
{
    private const string ExportSk = "#EXPORT";
    private const string AccountPrefix = "ACCOUNT#";
    private const string RegionPrefix = "REGION#";

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;

    /// <summary>Creates the ledger over a table (see <see cref="CreateTableAsync"/> for its shape).</summary>
    public DynamoDbLedger(IAmazonDynamoDB client, string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _table = tableName;
    }

    /// <summary>Creates the ledger table (on-demand, pk/sk strings) and waits until it is active: for tests and local runs; the CDK stack creates the real one.</summary>
    public static async Task CreateTableAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = tableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
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

    /// <inheritdoc/>
    public async Task<bool> CreateExportAsync(ExportRecord export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var item = Key(export.ExportId, ExportSk);
        item["exportId"] = S(export.ExportId);
        item["startedAt"] = S(Iso(export.StartedAt));
        item["until"] = S(Iso(export.Until));
        item["regions"] = new AttributeValue { L = export.Regions.Select(S).ToList() };
        item["restarts"] = N(export.Restarts);
        if (export.FiltersJson is not null)
        {
            item["filters"] = S(export.FiltersJson);
        }

        if (export.Since is { } since)
        {
            item["since"] = S(Iso(since));
        }

        try
        {
            await _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item, ConditionExpression = "attribute_not_exists(pk)" }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<ExportRecord?> GetExportAsync(string exportId, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(exportId, ExportSk), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? ToExport(item) : null;
    }

    /// <inheritdoc/>
    public async Task ExpectAccountAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var restart = attempt > 0;
        var account = Key(exportId, AccountPrefix + accountId);
        account["accountId"] = S(accountId);
        account["launch"] = S(AccountLaunchStatus.Pending);
        account["updatedAt"] = S(Iso(now));
        await PutAsync(account, restart, cancellationToken).ConfigureAwait(false);
        foreach (var region in regions)
        {
            var item = Key(exportId, RegionSk(accountId, region));
            item["accountId"] = S(accountId);
            item["region"] = S(region);
            item["status"] = S(RegionExportStatus.Pending);
            item["attempt"] = N(attempt);
            await PutAsync(item, restart, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task RecordLaunchAsync(string exportId, string accountId, string? executionArn, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":launch"] = S(error is null ? AccountLaunchStatus.Started : AccountLaunchStatus.Failed),
            [":at"] = S(Iso(now)),
            [":account"] = S(accountId),
        };
        var set = new List<string> { "launch = :launch", "updatedAt = :at", "accountId = :account" };
        var remove = new List<string>();
        Optional("executionArn", executionArn, ":arn", set, remove, values);
        Optional("#error", error, ":error", set, remove, values);
        await _client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(exportId, AccountPrefix + accountId),
                UpdateExpression = "SET " + string.Join(", ", set) + (remove.Count > 0 ? " REMOVE " + string.Join(", ", remove) : string.Empty),
                ExpressionAttributeNames = new Dictionary<string, string> { ["#error"] = "error" },
                ExpressionAttributeValues = values,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<RecordOutcome> RecordRegionResultAsync(RegionExportEvent result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var key = Key(result.ExportId, RegionSk(result.AccountId, result.Region));
        var values = new Dictionary<string, AttributeValue>
        {
            [":pending"] = S(RegionExportStatus.Pending),
            [":attempt"] = N(result.Attempt),
            [":status"] = S(result.Status),
            [":findings"] = N(result.Findings),
            [":pages"] = N(result.Pages),
            [":parts"] = N(result.Parts),
            [":bytes"] = N(result.Bytes),
            [":throttles"] = N(result.Throttles),
            [":retries"] = N(result.Retries),
            [":durationMs"] = N(result.DurationMs),
            [":finishedAt"] = S(Iso(now)),
        };
        var names = new Dictionary<string, string> { ["#status"] = "status", ["#bytes"] = "bytes" };
        var set = "SET #status = :status, findings = :findings, pages = :pages, parts = :parts, #bytes = :bytes, throttles = :throttles, retries = :retries, durationMs = :durationMs, finishedAt = :finishedAt";
        if (result.Error is not null)
        {
            values[":error"] = S(result.Error);
            names["#error"] = "error";
            set += ", #error = :error";
        }

        try
        {
            await _client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = key,
                    UpdateExpression = set,
                    // Items written before attempts were recorded count as attempt 0.
                    ConditionExpression = "attribute_exists(pk) AND #status = :pending AND "
                        + (result.Attempt == 0 ? "(attribute_not_exists(attempt) OR attempt = :attempt)" : "attempt = :attempt"),
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                },
                cancellationToken).ConfigureAwait(false);
            return RecordOutcome.Applied;
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = key, ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
            if (existing.Item is not { Count: > 0 } item)
            {
                return RecordOutcome.NotExpected;
            }

            return Long(item, "attempt") == result.Attempt ? RecordOutcome.AlreadyTerminal : RecordOutcome.Superseded;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> AllRegionsTerminalAsync(string exportId, CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _table,
                    ConsistentRead = true,
                    KeyConditionExpression = "pk = :pk AND begins_with(sk, :region)",
                    FilterExpression = "#status = :pending",
                    ProjectionExpression = "sk",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#status"] = "status" },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                    {
                        [":pk"] = S(Pk(exportId)),
                        [":region"] = S(RegionPrefix),
                        [":pending"] = S(RegionExportStatus.Pending),
                    },
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            if (page.Count > 0)
            {
                return false;
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> TryClaimCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(exportId, ExportSk),
                    UpdateExpression = "SET completedAt = :at",
                    ConditionExpression = "attribute_exists(pk) AND attribute_not_exists(completedAt)",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":at"] = S(Iso(completedAt)) },
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task ReleaseCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(exportId, ExportSk),
                    UpdateExpression = "REMOVE completedAt",
                    ConditionExpression = "completedAt = :at",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":at"] = S(Iso(completedAt)) },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Someone else's claim by now: not ours to release.
        }
    }

    /// <inheritdoc/>
    public async Task ReopenExportAsync(string exportId, int attempt, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        try
        {
            await _client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(exportId, ExportSk),
                    UpdateExpression = "REMOVE completedAt SET restarts = :attempt",
                    ConditionExpression = "attribute_exists(pk) AND (attribute_not_exists(restarts) OR restarts < :attempt)",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":attempt"] = N(attempt) },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new InvalidOperationException(
                $"export '{exportId}' in ledger table {_table} is gone, or another restart of it took number {attempt} at the same time: " +
                "check it with 'sechub-fanout status' and restart again",
                e);
        }
    }

    /// <inheritdoc/>
    public async Task<ExportSnapshot?> ReadAsync(string exportId, CancellationToken cancellationToken)
    {
        ExportRecord? export = null;
        var accounts = new List<AccountRecord>();
        var regions = new List<RegionRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _table,
                    ConsistentRead = true,
                    KeyConditionExpression = "pk = :pk",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = S(Pk(exportId)) },
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                var sk = item["sk"].S;
                if (sk == ExportSk)
                {
                    export = ToExport(item);
                }
                else if (sk.StartsWith(AccountPrefix, StringComparison.Ordinal))
                {
                    accounts.Add(new AccountRecord(Str(item, "accountId")!, Str(item, "launch") ?? AccountLaunchStatus.Pending, Str(item, "executionArn"), Str(item, "error"), Time(item, "updatedAt") ?? default));
                }
                else if (sk.StartsWith(RegionPrefix, StringComparison.Ordinal))
                {
                    regions.Add(new RegionRecord(
                        Str(item, "accountId")!,
                        Str(item, "region")!,
                        Str(item, "status") ?? RegionExportStatus.Pending,
                        Long(item, "findings"),
                        Long(item, "pages"),
                        Long(item, "parts"),
                        Long(item, "bytes"),
                        Long(item, "throttles"),
                        Long(item, "retries"),
                        Long(item, "durationMs"),
                        Str(item, "error"),
                        Time(item, "finishedAt")));
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return export is null ? null : new ExportSnapshot(export, accounts, regions);
    }

    private async Task PutAsync(Dictionary<string, AttributeValue> item, bool overwrite, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutItemAsync(
                new PutItemRequest { TableName = _table, Item = item, ConditionExpression = overwrite ? null : "attribute_not_exists(pk)" },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Already expected (a repeated launch): keep whatever state it reached.
        }
    }

    private static void Optional(string name, string? value, string placeholder, List<string> set, List<string> remove, Dictionary<string, AttributeValue> values)
    {
        if (value is null)
        {
            remove.Add(name);
        }
        else
        {
            set.Add($"{name} = {placeholder}");
            values[placeholder] = S(value);
        }
    }

    private static ExportRecord ToExport(Dictionary<string, AttributeValue> item) =>
        new(
            Str(item, "exportId")!,
            Time(item, "startedAt") ?? default,
            Time(item, "until") ?? default,
            item.TryGetValue("regions", out var r) && r.L is not null ? r.L.Select(v => v.S).ToList() : [],
            Str(item, "filters"),
            Time(item, "since"),
            (int)Long(item, "restarts"),
            Time(item, "completedAt"));

    private static string Pk(string exportId) => "EXPORT#" + exportId;

    private static string RegionSk(string accountId, string region) => RegionPrefix + accountId + "#" + region;

    private static Dictionary<string, AttributeValue> Key(string exportId, string sk) => new() { ["pk"] = S(Pk(exportId)), ["sk"] = S(sk) };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string? Str(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S : null;

    private static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? long.Parse(v.N, CultureInfo.InvariantCulture) : 0;

    private static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        Str(item, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
