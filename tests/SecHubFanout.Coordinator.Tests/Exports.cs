using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests;

/// <summary>Sets up exports in a fresh dynalite table the way the launcher leaves them, and reaches under the ledger where a test must.</summary>
internal static class Exports
{
    /// <summary>A ledger over a fresh table, with the table's name (to look at its items with the SDK).</summary>
    public static async Task<(DynamoDbLedger Ledger, string Table)> NewLedgerAsync(CancellationToken cancellationToken)
    {
        var table = await SharedLedger.Fixture.CreateTableAsync(cancellationToken);
        return (new DynamoDbLedger(SharedLedger.Fixture.Client, table), table);
    }

    /// <summary>Creates the export, expects and starts every account with its Regions, and (unless told otherwise) marks it launched.</summary>
    public static async Task SeedAsync(ILedger ledger, string exportId, DateTimeOffset start, IReadOnlyDictionary<string, string[]> accounts, CancellationToken cancellationToken, int shards = 4, bool launched = true)
    {
        var regions = accounts.Values.SelectMany(r => r).Where(r => r != LaunchRegions.All).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.IsTrue(await ledger.CreateExportAsync(new ExportRecord(exportId, start, start, regions, null, null, Shards: shards), cancellationToken));
        foreach (var (account, its) in accounts)
        {
            Assert.IsTrue(await ledger.ExpectAccountAsync(exportId, account, its, start, cancellationToken));
            await ledger.RecordLaunchAsync(exportId, account, ExecutionArn(account, exportId), null, start, cancellationToken);
        }

        if (launched)
        {
            await ledger.MarkLaunchedAsync(exportId, start, cancellationToken);
        }
    }

    /// <summary>The ARN the fake starter gives a member execution.</summary>
    public static string ExecutionArn(string account, string executionName) => $"arn:aws:states:eu-west-1:{account}:execution:sechub-fanout-exporter:{executionName}";

    /// <summary>Every item of the table (a scan: only tests may do this).</summary>
    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(string table, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await SharedLedger.Fixture.Client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start }, cancellationToken);
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }

    /// <summary>The partition key of an account's shard, as the ledger documents its layout.</summary>
    public static string ShardKey(string exportId, string account, int shards) =>
        "EXPORT#" + exportId + "#" + DynamoDbLedger.ShardOf(account, shards).ToString("000", CultureInfo.InvariantCulture);

    /// <summary>
    /// Takes one complete Region's result out of its shard's counters, as if the coordinator had crashed between the Region's update
    /// and the counter change: the item is final, the counters still say pending.
    /// </summary>
    public static async Task LoseCounterAddAsync(string table, int shards, RegionExportEvent complete, CancellationToken cancellationToken)
    {
        Assert.AreEqual(RegionExportStatus.Complete, complete.Status);
        static AttributeValue Minus(long value) => new() { N = (-value).ToString(CultureInfo.InvariantCulture) };
        await SharedLedger.Fixture.Client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = table,
                Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = ShardKey(complete.ExportId, complete.AccountId, shards) }, ["sk"] = new() { S = "#COUNT" } },
                UpdateExpression = "ADD terminal :one, complete :one, findings :findings, pages :pages, parts :parts, #bytes :bytes, throttles :throttles, retries :retries",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#bytes"] = "bytes" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":one"] = Minus(1),
                    [":findings"] = Minus(complete.Findings),
                    [":pages"] = Minus(complete.Pages),
                    [":parts"] = Minus(complete.Parts),
                    [":bytes"] = Minus(complete.Bytes),
                    [":throttles"] = Minus(complete.Throttles),
                    [":retries"] = Minus(complete.Retries),
                },
            },
            cancellationToken);
    }

    /// <summary>Every Region item of the export.</summary>
    public static async Task<List<RegionRecord>> RegionsAsync(ILedger ledger, string exportId, CancellationToken cancellationToken)
    {
        var export = await ledger.GetExportAsync(exportId, cancellationToken) ?? throw new AssertFailedException($"no export {exportId}");
        var regions = new List<RegionRecord>();
        await foreach (var region in ledger.ReadRegionsAsync(export, cancellationToken))
        {
            regions.Add(region);
        }

        return regions;
    }

    /// <summary>The export's counters as the ledger sums them.</summary>
    public static async Task<ExportCounters> CountersAsync(ILedger ledger, string exportId, CancellationToken cancellationToken)
    {
        var export = await ledger.GetExportAsync(exportId, cancellationToken) ?? throw new AssertFailedException($"no export {exportId}");
        return await ledger.GetCountersAsync(export, cancellationToken);
    }

    /// <summary>Every failure of the export, through the failures index page by page.</summary>
    public static async Task<List<RegionRecord>> FailuresAsync(ILedger ledger, string exportId, CancellationToken cancellationToken)
    {
        var failures = new List<RegionRecord>();
        string? token = null;
        do
        {
            var page = await ledger.ListFailuresAsync(exportId, token, 100, cancellationToken);
            failures.AddRange(page.Failures);
            token = page.NextToken;
        }
        while (token is not null);
        return failures;
    }
}
