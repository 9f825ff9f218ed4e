using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Ledger;

/// <summary>
/// The export ledger in one DynamoDB table with string keys <c>pk</c> and <c>sk</c>:
/// the export item (<c>EXPORT#&lt;id&gt;</c>, <c>#EXPORT</c>), the open-exports list (<c>OPEN</c>, <c>&lt;id&gt;</c>), and per shard
/// (<c>EXPORT#&lt;id&gt;#&lt;shard&gt;</c>) a counter item (<c>#COUNT</c>), account items (<c>ACCOUNT#&lt;account&gt;</c>) and Region items
/// (<c>REGION#&lt;account&gt;#&lt;region&gt;</c>). An account's items live in the shard its ID hashes to, so no partition holds more than
/// about 1/shards of an export. Watermarks live outside any export: one item per (account, Region) under <c>WATERMARK#&lt;account&gt;</c>,
/// sort key the Region, so an account's are read with one query. Failed Region items carry the keys of the sparse failures index. Every state change is a
/// conditional write; reads that decide completion are strongly consistent.
/// </summary>
public sealed class DynamoDbLedger : ILedger
{
    private const string ExportSk = "#EXPORT";
    private const string CountSk = "#COUNT";
    private const string OpenPk = "OPEN";
    private const string AccountPrefix = "ACCOUNT#";
    private const string RegionPrefix = "REGION#";
    private const string KindPrefix = "fk_";
    private const string WatermarkPrefix = "WATERMARK#";
    private const int BatchWriteLimit = 25;
    private const int BatchGetLimit = 100;

    private static readonly string[] _countAttributes =
        ["expected", "terminal", "complete", "notEnabled", "failed", "accounts", "accountsLaunchFailed", "findings", "pages", "parts", "bytes", "throttles", "retries"];

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly ConcurrentDictionary<string, int> _shards = new(StringComparer.Ordinal);

    /// <summary>Creates the ledger over a table (the CentralStack's ledger table: pk/sk strings and the failures index).</summary>
    public DynamoDbLedger(IAmazonDynamoDB client, string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _table = tableName;
    }

    /// <summary>Items this instance read and wrote (for the organization benchmark and tests).</summary>
    public LedgerUsage Usage { get; } = new();

    /// <summary>The shard (0 to <paramref name="shards"/> - 1) an account's items live in: FNV-1a of its ID, stable across processes.</summary>
    public static int ShardOf(string accountId, int shards)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        var hash = 2166136261u;
        foreach (var c in accountId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)Math.Max(1, shards));
    }

    /// <inheritdoc/>
    public async Task<bool> CreateExportAsync(ExportRecord export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentOutOfRangeException.ThrowIfLessThan(export.Shards, 1);
        var item = Key(ExportPk(export.ExportId), ExportSk);
        item["exportId"] = S(export.ExportId);
        item["startedAt"] = S(Iso(export.StartedAt));
        item["until"] = S(Iso(export.Until));
        item["regions"] = new AttributeValue { L = export.Regions.Select(S).ToList() };
        item["restarts"] = N(export.Restarts);
        item["shards"] = N(export.Shards);
        if (export.FiltersJson is not null)
        {
            item["filters"] = S(export.FiltersJson);
        }

        if (export.Api is not null)
        {
            item["api"] = S(export.Api);
        }

        if (export.Since is { } since)
        {
            item["since"] = S(Iso(since));
        }

        if (export.Overlap is { } overlap)
        {
            item["overlapMs"] = N((long)overlap.TotalMilliseconds);
        }

        try
        {
            await PutAsync(item, "attribute_not_exists(pk)", cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }

        await PutAsync(OpenItem(export.ExportId), null, cancellationToken).ConfigureAwait(false);
        _shards[export.ExportId] = export.Shards;
        return true;
    }

    /// <inheritdoc/>
    public async Task<ExportRecord?> GetExportAsync(string exportId, CancellationToken cancellationToken)
    {
        var item = await GetAsync(Key(ExportPk(exportId), ExportSk), cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return null;
        }

        var export = ToExport(item);
        _shards[exportId] = export.Shards;
        return export;
    }

    /// <inheritdoc/>
    public async Task<AccountRecord?> GetAccountAsync(string exportId, string accountId, CancellationToken cancellationToken)
    {
        var item = await GetAsync(Key(await ShardPkAsync(exportId, accountId, cancellationToken).ConfigureAwait(false), AccountPrefix + accountId), cancellationToken).ConfigureAwait(false);
        return item is null ? null : ToAccount(item);
    }

    /// <inheritdoc/>
    public async Task<bool> ExpectAccountAsync(string exportId, string accountId, IReadOnlyList<string> regions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var pk = await ShardPkAsync(exportId, accountId, cancellationToken).ConfigureAwait(false);
        if (await GetAsync(Key(pk, AccountPrefix + accountId), cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        // Counted first: a crash before the items exist leaves the export waiting (repaired later), never finished too early.
        await UpdateAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pk, CountSk),
                UpdateExpression = "ADD expected :regions, accounts :one SET changedAt = :at",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":regions"] = N(regions.Count), [":one"] = N(1), [":at"] = S(Iso(now)) },
            },
            cancellationToken).ConfigureAwait(false);

        var items = new List<Dictionary<string, AttributeValue>>(regions.Count + 1);
        var account = Key(pk, AccountPrefix + accountId);
        account["accountId"] = S(accountId);
        account["launch"] = S(AccountLaunchStatus.Pending);
        account["updatedAt"] = S(Iso(now));
        account["attempt"] = N(0);
        account["regions"] = new AttributeValue { L = regions.Select(S).ToList() };
        items.Add(account);
        items.AddRange(regions.Select(region => PendingRegion(pk, accountId, region, 0)));

        await BatchPutAsync(items, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<AccountRecord?> RestartAccountAsync(string exportId, string accountId, int attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        var pk = await ShardPkAsync(exportId, accountId, cancellationToken).ConfigureAwait(false);
        var accountItem = await GetAsync(Key(pk, AccountPrefix + accountId), cancellationToken).ConfigureAwait(false);
        if (accountItem is null)
        {
            return null;
        }

        var before = ToAccount(accountItem);
        foreach (var region in before.Regions ?? [])
        {
            await ResetRegionAsync(pk, accountId, region, attempt, now, cancellationToken).ConfigureAwait(false);
        }

        if (before.Launch == AccountLaunchStatus.Failed)
        {
            await AddCountsAsync(pk, new Dictionary<string, long> { ["accountsLaunchFailed"] = -1 }, now, returnNew: false, cancellationToken).ConfigureAwait(false);
        }

        await UpdateAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pk, AccountPrefix + accountId),
                UpdateExpression = "SET launch = :pending, attempt = :attempt, updatedAt = :at REMOVE executionArn, #error",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#error"] = "error" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":pending"] = S(AccountLaunchStatus.Pending),
                    [":attempt"] = N(attempt),
                    [":at"] = S(Iso(now)),
                },
            },
            cancellationToken).ConfigureAwait(false);
        return before;
    }

    /// <inheritdoc/>
    public async Task ReplaceAllRegionsAsync(string exportId, string accountId, IReadOnlyList<string> regions, int attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var pk = await ShardPkAsync(exportId, accountId, cancellationToken).ConfigureAwait(false);
        await AddCountsAsync(pk, new Dictionary<string, long> { ["expected"] = regions.Count }, now, returnNew: false, cancellationToken).ConfigureAwait(false);
        await BatchPutAsync(regions.Select(region => PendingRegion(pk, accountId, region, attempt)).ToList(), cancellationToken).ConfigureAwait(false);
        await UpdateAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pk, AccountPrefix + accountId),
                UpdateExpression = "SET regions = :regions, updatedAt = :at",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":regions"] = new AttributeValue { L = regions.Select(S).ToList() }, [":at"] = S(Iso(now)) },
            },
            cancellationToken).ConfigureAwait(false);
        try
        {
            // Only a pending stand-in goes: one that is still counted as expected and nothing else.
            await _client.DeleteItemAsync(
                new DeleteItemRequest
                {
                    TableName = _table,
                    Key = Key(pk, RegionSk(accountId, LaunchRegions.All)),
                    ConditionExpression = "#status = :pending AND attempt = :attempt",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#status"] = "status" },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pending"] = S(RegionExportStatus.Pending), [":attempt"] = N(attempt) },
                },
                cancellationToken).ConfigureAwait(false);
            Usage.AddWrite(1);
            await AddCountsAsync(pk, new Dictionary<string, long> { ["expected"] = -1 }, now, returnNew: false, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // No pending stand-in of this attempt: nothing to take away.
        }
    }

    /// <inheritdoc/>
    public async Task RecordLaunchAsync(string exportId, string accountId, string? executionArn, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pk = await ShardPkAsync(exportId, accountId, cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, AttributeValue>
        {
            [":launch"] = S(error is null ? AccountLaunchStatus.Started : AccountLaunchStatus.Failed),
            [":at"] = S(Iso(now)),
        };
        var set = new List<string> { "launch = :launch", "updatedAt = :at" };
        var remove = new List<string>();
        Optional("executionArn", executionArn, ":arn", set, remove, values);
        Optional("#error", error, ":error", set, remove, values);
        var response = await UpdateAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pk, AccountPrefix + accountId),
                UpdateExpression = "SET " + string.Join(", ", set) + (remove.Count > 0 ? " REMOVE " + string.Join(", ", remove) : string.Empty),
                ConditionExpression = "attribute_exists(pk)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#error"] = "error" },
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.UPDATED_OLD,
            },
            cancellationToken).ConfigureAwait(false);
        var was = response.Attributes is { } old && old.TryGetValue("launch", out var l) ? l.S : null;
        if (error is not null && was != AccountLaunchStatus.Failed)
        {
            await AddCountsAsync(pk, new Dictionary<string, long> { ["accountsLaunchFailed"] = 1 }, now, returnNew: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task MarkLaunchedAsync(string exportId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await TryUpdateExportAsync(exportId, "SET launchedAt = if_not_exists(launchedAt, :at)", "attribute_exists(pk)", new() { [":at"] = S(Iso(now)) }, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"there is no export '{exportId}' in ledger table {_table}");
        }
    }

    /// <inheritdoc/>
    public async Task<RecordResult> RecordRegionResultAsync(RegionExportEvent result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (await GetShardsAsync(result.ExportId, cancellationToken).ConfigureAwait(false) is not { } shards)
        {
            return new RecordResult(RecordOutcome.NotExpected);
        }

        var pk = ShardPk(result.ExportId, ShardOf(result.AccountId, shards));
        var key = Key(pk, RegionSk(result.AccountId, result.Region));
        var failed = result.Status == RegionExportStatus.Failed;
        var kind = failed ? FailureKinds.Classify(result.FailureKind, result.Error) : null;
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
        var set = new StringBuilder("SET #status = :status, findings = :findings, pages = :pages, parts = :parts, #bytes = :bytes, throttles = :throttles, retries = :retries, durationMs = :durationMs, finishedAt = :finishedAt");
        if (result.Error is not null)
        {
            values[":error"] = S(result.Error);
            names["#error"] = "error";
            set.Append(", #error = :error");
        }

        if (kind is not null)
        {
            values[":kind"] = S(kind);
            values[":fpk"] = S(result.ExportId);
            values[":fsk"] = S(result.AccountId + "#" + result.Region);
            set.Append(", failureKind = :kind, ").Append(FanoutNames.LedgerFailuresPartitionKey).Append(" = :fpk, ").Append(FanoutNames.LedgerFailuresSortKey).Append(" = :fsk");
        }

        try
        {
            await UpdateAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = key,
                    UpdateExpression = set.ToString(),
                    // Items written before attempts were recorded count as attempt 0.
                    ConditionExpression = "attribute_exists(pk) AND #status = :pending AND "
                        + (result.Attempt == 0 ? "(attribute_not_exists(attempt) OR attempt = :attempt)" : "attempt = :attempt"),
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return new RecordResult(RecordOutcome.NotExpected);
            }

            if (Long(existing, "attempt") != result.Attempt)
            {
                return new RecordResult(RecordOutcome.Superseded);
            }

            // A failure the central side only presumed (the execution ended, or the Region went silent) gives way to the real result.
            var seen = ToRegion(existing);
            if (seen.Status == RegionExportStatus.Failed && seen.FailureKind is FailureKinds.ExecutionEnded or FailureKinds.Silent && !IsPresumed(result.FailureKind))
            {
                return await ReplacePresumedFailureAsync(pk, key, seen, result, set.ToString(), names, values, kind, now, cancellationToken).ConfigureAwait(false);
            }

            return new RecordResult(RecordOutcome.AlreadyTerminal);
        }

        // Counted only after the item moved, so a repeated result never counts twice.
        var counts = ResultCounts(result.Status, kind, result.Findings, result.Pages, result.Parts, result.Bytes, result.Throttles, result.Retries, 1);
        var shard = await AddCountsAsync(pk, counts, now, returnNew: true, cancellationToken).ConfigureAwait(false);
        return new RecordResult(RecordOutcome.Applied, shard);
    }

    private static bool IsPresumed(string? kind) => kind is FailureKinds.ExecutionEnded or FailureKinds.Silent;

    private async Task<RecordResult> ReplacePresumedFailureAsync(
        string pk, Dictionary<string, AttributeValue> key, RegionRecord seen, RegionExportEvent result, string set,
        Dictionary<string, string> names, Dictionary<string, AttributeValue> values, string? kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        values[":failed"] = S(RegionExportStatus.Failed);
        values[":presumed"] = S(seen.FailureKind!);

        // This condition does not test for pending, and DynamoDB rejects a request that carries a value its expressions do not use.
        values.Remove(":pending");
        var remove = kind is null ? $" REMOVE failureKind, {FanoutNames.LedgerFailuresPartitionKey}, {FanoutNames.LedgerFailuresSortKey}" + (result.Error is null ? ", #error" : string.Empty) : string.Empty;
        if (remove.Contains("#error", StringComparison.Ordinal))
        {
            names["#error"] = "error";
        }

        try
        {
            await UpdateAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = key,
                    UpdateExpression = set + remove,
                    ConditionExpression = "#status = :failed AND failureKind = :presumed AND attempt = :attempt",
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return new RecordResult(RecordOutcome.AlreadyTerminal);
        }

        var counts = ResultCounts(seen, -1);
        foreach (var (name, value) in ResultCounts(result.Status, kind, result.Findings, result.Pages, result.Parts, result.Bytes, result.Throttles, result.Retries, 1))
        {
            counts[name] = counts.GetValueOrDefault(name) + value;
        }

        var shard = await AddCountsAsync(pk, counts, now, returnNew: true, cancellationToken).ConfigureAwait(false);
        return new RecordResult(RecordOutcome.Applied, shard);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RegionRecord>> GetAccountRegionsAsync(string exportId, string accountId, CancellationToken cancellationToken)
    {
        // The ID may come from a member's event: an export that does not exist has no Regions, it is not an error of the ledger.
        if (await GetShardsAsync(exportId, cancellationToken).ConfigureAwait(false) is not { } shards)
        {
            return [];
        }

        var pk = ShardPk(exportId, ShardOf(accountId, shards));
        var regions = new List<RegionRecord>();
        await foreach (var item in QueryAsync(pk, RegionPrefix + accountId + "#", cancellationToken).ConfigureAwait(false))
        {
            regions.Add(ToRegion(item));
        }

        return regions;
    }

    /// <inheritdoc/>
    public async Task<ExportCounters> GetCountersAsync(ExportRecord export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var total = new ExportCounters();
        for (var first = 0; first < export.Shards; first += BatchGetLimit)
        {
            var keys = Enumerable.Range(first, Math.Min(BatchGetLimit, export.Shards - first)).Select(s => Key(ShardPk(export.ExportId, s), CountSk)).ToList();
            while (keys.Count > 0)
            {
                var response = await _client.BatchGetItemAsync(
                    new BatchGetItemRequest { RequestItems = new Dictionary<string, KeysAndAttributes> { [_table] = new KeysAndAttributes { Keys = keys, ConsistentRead = true } } },
                    cancellationToken).ConfigureAwait(false);
                foreach (var item in response.Responses?.GetValueOrDefault(_table) ?? [])
                {
                    Usage.AddRead(1);
                    total += ToCounters(item);
                }

                keys = response.UnprocessedKeys?.GetValueOrDefault(_table)?.Keys ?? [];
            }
        }

        return total;
    }

    /// <inheritdoc/>
    public async Task<bool> TryClaimCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        if (!await TryUpdateExportAsync(exportId, "SET completedAt = :at", "attribute_exists(pk) AND attribute_not_exists(completedAt)", new() { [":at"] = S(Iso(completedAt)) }, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await DeleteOpenAsync(exportId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task ReleaseCompletionAsync(string exportId, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        // Only our own claim: someone else's by now is not ours to release.
        if (await TryUpdateExportAsync(exportId, "REMOVE completedAt", "completedAt = :at", new() { [":at"] = S(Iso(completedAt)) }, cancellationToken).ConfigureAwait(false))
        {
            await PutAsync(OpenItem(exportId), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task ReopenExportAsync(string exportId, int attempt, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        if (!await TryUpdateExportAsync(exportId, "REMOVE completedAt SET restarts = :attempt", "attribute_exists(pk) AND (attribute_not_exists(restarts) OR restarts < :attempt)", new() { [":attempt"] = N(attempt) }, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"export '{exportId}' in ledger table {_table} is gone, or another restart of it took number {attempt} at the same time: " +
                "check it with 'sechub-fanout status' and restart again");
        }

        await PutAsync(OpenItem(exportId), null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<bool> TryClaimImmediateFailureMailAsync(string exportId, int limit, CancellationToken cancellationToken) =>
        TryUpdateExportAsync(
            exportId,
            "ADD failuresMailed :one",
            "attribute_exists(pk) AND (attribute_not_exists(failuresMailed) OR failuresMailed < :limit)",
            new() { [":one"] = N(1), [":limit"] = N(limit) },
            cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryClaimDigestAsync(string exportId, long reportedBefore, long reportedNow, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateExportAsync(
            exportId,
            "SET failuresMailed = :now, lastDigestAt = :at ADD digests :one",
            reportedBefore == 0 ? "attribute_exists(pk) AND (attribute_not_exists(failuresMailed) OR failuresMailed = :before)" : "failuresMailed = :before",
            new() { [":now"] = N(reportedNow), [":before"] = N(reportedBefore), [":at"] = S(Iso(now)), [":one"] = N(1) },
            cancellationToken);

    /// <inheritdoc/>
    public async Task<FailurePage> ListFailuresAsync(string exportId, string? nextToken, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var response = await _client.QueryAsync(
            new QueryRequest
            {
                TableName = _table,
                IndexName = FanoutNames.LedgerFailuresIndex,
                KeyConditionExpression = "#fpk = :export",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#fpk"] = FanoutNames.LedgerFailuresPartitionKey },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":export"] = S(exportId) },
                Limit = limit,
                ExclusiveStartKey = DecodeToken(nextToken, exportId),
            },
            cancellationToken).ConfigureAwait(false);
        var items = response.Items ?? [];
        Usage.AddRead(items.Count);
        return new FailurePage(items.Select(ToRegion).ToList(), EncodeToken(response.LastEvaluatedKey));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListOpenExportsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in QueryAsync(OpenPk, string.Empty, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(item["sk"].S);
        }

        return ids;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<AccountRecord> ReadAccountsAsync(ExportRecord export, CancellationToken cancellationToken) =>
        QueryShardsAsync(export, AccountPrefix, cancellationToken).Select(ToAccount);

    /// <inheritdoc/>
    public IAsyncEnumerable<RegionRecord> ReadRegionsAsync(ExportRecord export, CancellationToken cancellationToken) =>
        QueryShardsAsync(export, RegionPrefix, cancellationToken).Select(ToRegion);

    /// <inheritdoc/>
    public async Task<int> RepairCountersAsync(ExportRecord export, DateTimeOffset quietSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var repaired = 0;
        for (var shard = 0; shard < export.Shards; shard++)
        {
            var pk = ShardPk(export.ExportId, shard);
            var current = await GetAsync(Key(pk, CountSk), cancellationToken).ConfigureAwait(false);
            var counters = current is null ? new ExportCounters() : ToCounters(current);
            if (counters.ChangedAt is { } changed && changed > quietSince)
            {
                continue;
            }

            var actual = new Dictionary<string, long>(StringComparer.Ordinal);
            await foreach (var item in QueryAsync(pk, AccountPrefix, cancellationToken).ConfigureAwait(false))
            {
                Bump(actual, "accounts", 1);
                Bump(actual, "accountsLaunchFailed", Str(item, "launch") == AccountLaunchStatus.Failed ? 1 : 0);
            }

            await foreach (var item in QueryAsync(pk, RegionPrefix, cancellationToken).ConfigureAwait(false))
            {
                var region = ToRegion(item);
                Bump(actual, "expected", 1);
                if (!region.IsTerminal)
                {
                    continue;
                }

                foreach (var (name, value) in ResultCounts(region, 1))
                {
                    Bump(actual, name, value);
                }
            }

            var recorded = current ?? [];
            var differs = _countAttributes.Concat(actual.Keys).Concat(recorded.Keys.Where(k => k.StartsWith(KindPrefix, StringComparison.Ordinal))).Distinct(StringComparer.Ordinal)
                .Any(name => actual.GetValueOrDefault(name) != Long(recorded, name));
            if (!differs)
            {
                continue;
            }

            var item2 = Key(pk, CountSk);
            foreach (var (name, value) in actual)
            {
                item2[name] = N(value);
            }

            item2["changedAt"] = S(Iso(now));
            try
            {
                // Only over the counters we read: a result counted meanwhile makes this repair wait for the next pass.
                await _client.PutItemAsync(
                    new PutItemRequest
                    {
                        TableName = _table,
                        Item = item2,
                        ConditionExpression = current is null ? "attribute_not_exists(pk)" : (current.ContainsKey("changedAt") ? "changedAt = :seen" : "attribute_not_exists(changedAt)"),
                        ExpressionAttributeValues = current is not null && current.TryGetValue("changedAt", out var seen) ? new Dictionary<string, AttributeValue> { [":seen"] = seen } : null,
                    },
                    cancellationToken).ConfigureAwait(false);
                Usage.AddWrite(1);
                repaired++;
            }
            catch (ConditionalCheckFailedException)
            {
                // Changed while recounting: the next pass looks again.
            }
        }

        return repaired;
    }

    // What one final (account, Region) adds to its shard's counters (sign -1 takes it out again).
    private static Dictionary<string, long> ResultCounts(RegionRecord region, int sign) =>
        ResultCounts(region.Status, region.Status == RegionExportStatus.Failed ? FailureKinds.Classify(region.FailureKind, region.Error) : null,
            region.Findings, region.Pages, region.Parts, region.Bytes, region.Throttles, region.Retries, sign);

    private static Dictionary<string, long> ResultCounts(string status, string? kind, long findings, long pages, long parts, long bytes, long throttles, long retries, int sign)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["terminal"] = sign,
            [StatusCounter(status)] = sign,
            ["findings"] = sign * findings,
            ["pages"] = sign * pages,
            ["parts"] = sign * parts,
            ["bytes"] = sign * bytes,
            ["throttles"] = sign * throttles,
            ["retries"] = sign * retries,
        };
        if (kind is not null)
        {
            counts[KindPrefix + kind.Replace('-', '_')] = sign;
        }

        return counts;
    }

    private static void Bump(Dictionary<string, long> counts, string name, long by) => counts[name] = counts.GetValueOrDefault(name) + by;

    private static string StatusCounter(string status) => status switch
    {
        RegionExportStatus.Complete => "complete",
        RegionExportStatus.NotEnabled => "notEnabled",
        _ => "failed",
    };

    private async Task ResetRegionAsync(string pk, string accountId, string region, int attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Key(pk, RegionSk(accountId, region));
        for (var tries = 0; tries < 5; tries++)
        {
            var item = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            var seen = item is null ? null : ToRegion(item);
            if (seen is not null && seen.Attempt >= attempt)
            {
                return;
            }

            // Taken out of the counters before the item goes back to pending, so a crash in between never over-counts.
            if (seen is { IsTerminal: true })
            {
                await AddCountsAsync(pk, ResultCounts(seen, -1), now, returnNew: false, cancellationToken).ConfigureAwait(false);
            }
            else if (seen is null)
            {
                await AddCountsAsync(pk, new Dictionary<string, long> { ["expected"] = 1 }, now, returnNew: false, cancellationToken).ConfigureAwait(false);
            }

            var values = new Dictionary<string, AttributeValue>
            {
                [":pending"] = S(RegionExportStatus.Pending),
                [":attempt"] = N(attempt),
                [":account"] = S(accountId),
                [":region"] = S(region),
            };
            string? condition = null;
            if (seen is not null)
            {
                values[":seenStatus"] = S(seen.Status);
                values[":seenAttempt"] = N(seen.Attempt);
                condition = "#status = :seenStatus AND " + (seen.Attempt == 0 ? "(attribute_not_exists(attempt) OR attempt = :seenAttempt)" : "attempt = :seenAttempt");
            }
            else
            {
                condition = "attribute_not_exists(pk)";
            }

            try
            {
                await UpdateAsync(
                    new UpdateItemRequest
                    {
                        TableName = _table,
                        Key = key,
                        UpdateExpression = $"SET #status = :pending, attempt = :attempt, accountId = :account, #region = :region REMOVE #error, failureKind, finishedAt, findings, pages, parts, #bytes, throttles, retries, durationMs, {FanoutNames.LedgerFailuresPartitionKey}, {FanoutNames.LedgerFailuresSortKey}",
                        ConditionExpression = condition,
                        ExpressionAttributeNames = new Dictionary<string, string> { ["#status"] = "status", ["#error"] = "error", ["#bytes"] = "bytes", ["#region"] = "region" },
                        ExpressionAttributeValues = values,
                    },
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ConditionalCheckFailedException)
            {
                // A result landed between the read and the reset: put back what was taken out and look again.
                if (seen is { IsTerminal: true })
                {
                    await AddCountsAsync(pk, ResultCounts(seen, 1), now, returnNew: false, cancellationToken).ConfigureAwait(false);
                }
                else if (seen is null)
                {
                    await AddCountsAsync(pk, new Dictionary<string, long> { ["expected"] = -1 }, now, returnNew: false, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        throw new InvalidOperationException($"Region {region} of account {accountId} kept changing while it was being restarted; restart the account again");
    }

    private async Task<ExportCounters?> AddCountsAsync(string pk, Dictionary<string, long> counts, DateTimeOffset now, bool returnNew, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>();
        var names = new Dictionary<string, string>();
        var adds = new List<string>();
        var i = 0;
        foreach (var (name, value) in counts)
        {
            if (value == 0)
            {
                continue;
            }

            names["#c" + i] = name;
            values[":c" + i] = N(value);
            adds.Add($"#c{i} :c{i}");
            i++;
        }

        // Every change marks the time, so a recount (which only runs over quiet counters) never overwrites one made meanwhile.
        values[":at"] = S(Iso(now));
        var expression = "ADD " + string.Join(", ", adds) + " SET changedAt = :at";

        var response = await UpdateAsync(
            new UpdateItemRequest
            {
                TableName = _table,
                Key = Key(pk, CountSk),
                UpdateExpression = expression,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = returnNew ? ReturnValue.ALL_NEW : ReturnValue.NONE,
            },
            cancellationToken).ConfigureAwait(false);
        if (!returnNew)
        {
            return null;
        }

        Usage.AddRead(1);
        return ToCounters(response.Attributes);
    }

    // A conditional change of the export item: false when the condition did not hold.
    private async Task<bool> TryUpdateExportAsync(string exportId, string update, string condition, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(ExportPk(exportId), ExportSk),
                    UpdateExpression = update,
                    ConditionExpression = condition,
                    ExpressionAttributeValues = values,
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<int?> GetShardsAsync(string exportId, CancellationToken cancellationToken)
    {
        if (_shards.TryGetValue(exportId, out var shards))
        {
            return shards;
        }

        return (await GetExportAsync(exportId, cancellationToken).ConfigureAwait(false))?.Shards;
    }

    private async Task<string> ShardPkAsync(string exportId, string accountId, CancellationToken cancellationToken)
    {
        var shards = await GetShardsAsync(exportId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"there is no export '{exportId}' in ledger table {_table}");
        return ShardPk(exportId, ShardOf(accountId, shards));
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = key, ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        if (response.Item is { Count: > 0 } item)
        {
            Usage.AddRead(1);
            return item;
        }

        return null;
    }

    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAsync(string pk, string skPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var values = new Dictionary<string, AttributeValue> { [":pk"] = S(pk) };
            var condition = "pk = :pk";
            if (skPrefix.Length > 0)
            {
                values[":prefix"] = S(skPrefix);
                condition += " AND begins_with(sk, :prefix)";
            }

            var page = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _table,
                    ConsistentRead = true,
                    KeyConditionExpression = condition,
                    ExpressionAttributeValues = values,
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            Usage.AddRead(page.Items?.Count ?? 0);
            foreach (var item in page.Items ?? [])
            {
                yield return item;
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    // Every item of the export under one sort-key prefix, shard by shard.
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryShardsAsync(ExportRecord export, string skPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        for (var shard = 0; shard < export.Shards; shard++)
        {
            await foreach (var item in QueryAsync(ShardPk(export.ExportId, shard), skPrefix, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <inheritdoc/>
    public async Task AdvanceWatermarkAsync(string accountId, string region, DateTimeOffset end, string exportId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        try
        {
            // Iso() is fixed-width UTC, so string order is time order and the condition keeps the watermark from going back.
            await UpdateAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(WatermarkPrefix + accountId, region),
                    UpdateExpression = "SET #at = :at, exportId = :export",
                    ConditionExpression = "attribute_not_exists(#at) OR #at < :at",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#at"] = "at" },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":at"] = S(Iso(end)), [":export"] = S(exportId) },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Already at or past this end: a repeated result, or one of an older export.
        }
    }

    /// <inheritdoc/>
    public async Task<Core.Incremental.Watermarks> GetWatermarksAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        var byRegion = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _table,
                    KeyConditionExpression = "pk = :pk",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = S(WatermarkPrefix + accountId) },
                    ConsistentRead = true,
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            Usage.AddRead(page.Items?.Count ?? 0);
            foreach (var item in page.Items ?? [])
            {
                if (Time(item, "at") is { } at)
                {
                    byRegion[Str(item, "sk")!] = at;
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return Core.Incremental.Watermarks.From(byRegion);
    }

    private async Task<UpdateItemResponse> UpdateAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        var response = await _client.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
        Usage.AddWrite(1);
        return response;
    }

    private async Task PutAsync(Dictionary<string, AttributeValue> item, string? condition, CancellationToken cancellationToken)
    {
        await _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item, ConditionExpression = condition }, cancellationToken).ConfigureAwait(false);
        Usage.AddWrite(1);
    }

    private async Task DeleteOpenAsync(string exportId, CancellationToken cancellationToken)
    {
        await _client.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = Key(OpenPk, exportId) }, cancellationToken).ConfigureAwait(false);
        Usage.AddWrite(1);
    }

    private async Task BatchPutAsync(List<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(BatchWriteLimit))
        {
            var requests = chunk.Select(item => new WriteRequest { PutRequest = new PutRequest { Item = item } }).ToList();
            for (var attempt = 0; requests.Count > 0; attempt++)
            {
                if (attempt > 0)
                {
                    // Unprocessed items come back under load: back off a little, as the DynamoDB guide asks.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 << Math.Min(attempt, 6))), cancellationToken).ConfigureAwait(false);
                }

                var response = await _client.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new Dictionary<string, List<WriteRequest>> { [_table] = requests } },
                    cancellationToken).ConfigureAwait(false);
                var left = response.UnprocessedItems?.GetValueOrDefault(_table) ?? [];
                Usage.AddWrite(requests.Count - left.Count);
                requests = left;
            }
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
            Time(item, "completedAt"),
            Math.Max(1, (int)Long(item, "shards")),
            Time(item, "launchedAt"),
            Long(item, "failuresMailed"),
            Time(item, "lastDigestAt"),
            (int)Long(item, "digests"),
            Str(item, "api"),
            item.ContainsKey("overlapMs") ? TimeSpan.FromMilliseconds(Long(item, "overlapMs")) : null);

    private static AccountRecord ToAccount(Dictionary<string, AttributeValue> item) =>
        new(
            Str(item, "accountId")!,
            Str(item, "launch") ?? AccountLaunchStatus.Pending,
            Str(item, "executionArn"),
            Str(item, "error"),
            Time(item, "updatedAt") ?? default,
            (int)Long(item, "attempt"),
            item.TryGetValue("regions", out var r) && r.L is not null ? r.L.Select(v => v.S).ToList() : []);

    private static RegionRecord ToRegion(Dictionary<string, AttributeValue> item) =>
        new(
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
            Time(item, "finishedAt"),
            (int)Long(item, "attempt"),
            Str(item, "failureKind"));

    private static ExportCounters ToCounters(Dictionary<string, AttributeValue>? item)
    {
        item ??= [];
        return new ExportCounters
        {
            Expected = Long(item, "expected"),
            Terminal = Long(item, "terminal"),
            Complete = Long(item, "complete"),
            NotEnabled = Long(item, "notEnabled"),
            Failed = Long(item, "failed"),
            Accounts = Long(item, "accounts"),
            AccountsLaunchFailed = Long(item, "accountsLaunchFailed"),
            Findings = Long(item, "findings"),
            Pages = Long(item, "pages"),
            Parts = Long(item, "parts"),
            Bytes = Long(item, "bytes"),
            Throttles = Long(item, "throttles"),
            Retries = Long(item, "retries"),
            FailedByKind = item.Where(kv => kv.Key.StartsWith(KindPrefix, StringComparison.Ordinal) && kv.Value.N is not null)
                .ToDictionary(kv => kv.Key[KindPrefix.Length..].Replace('_', '-'), kv => long.Parse(kv.Value.N, CultureInfo.InvariantCulture), StringComparer.Ordinal),
            ChangedAt = Time(item, "changedAt"),
        };
    }

    private static string? EncodeToken(Dictionary<string, AttributeValue>? key) =>
        key is { Count: > 0 } ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', key.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value.S)))) : null;

    private static Dictionary<string, AttributeValue>? DecodeToken(string? token, string exportId)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        Dictionary<string, AttributeValue> key;
        try
        {
            key = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\n')
                .Select(line => line.Split('=', 2))
                .ToDictionary(p => p[0], p => S(p[1]), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new ArgumentException($"'{token}' is not a page token of this ledger: pass the token the previous page printed", nameof(token), e);
        }

        // A token that decodes but is not a key of this export's failures would only fail later, as a service error.
        string[] keyNames = ["pk", "sk", FanoutNames.LedgerFailuresPartitionKey, FanoutNames.LedgerFailuresSortKey];
        if (key.Count != keyNames.Length || !keyNames.All(key.ContainsKey) || key[FanoutNames.LedgerFailuresPartitionKey].S != exportId)
        {
            throw new ArgumentException($"'{token}' is not a page token of this ledger's failures of export {exportId}: pass the token the previous page printed", nameof(token));
        }

        return key;
    }

    private static Dictionary<string, AttributeValue> PendingRegion(string pk, string accountId, string region, int attempt)
    {
        var item = Key(pk, RegionSk(accountId, region));
        item["accountId"] = S(accountId);
        item["region"] = S(region);
        item["status"] = S(RegionExportStatus.Pending);
        item["attempt"] = N(attempt);
        return item;
    }

    private static Dictionary<string, AttributeValue> OpenItem(string exportId) => Key(OpenPk, exportId);

    private static string ExportPk(string exportId) => "EXPORT#" + exportId;

    private static string ShardPk(string exportId, int shard) => "EXPORT#" + exportId + "#" + shard.ToString("000", CultureInfo.InvariantCulture);

    private static string RegionSk(string accountId, string region) => RegionPrefix + accountId + "#" + region;

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new() { ["pk"] = S(pk), ["sk"] = S(sk) };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string? Str(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S : null;

    private static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? long.Parse(v.N, CultureInfo.InvariantCulture) : 0;

    private static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        Str(item, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
