using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Checkpoints;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Planning;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Aws.Tests.Checkpoints;

/// <summary>The member's checkpoint table over the DynamoDB protocol, against dynalite: saved and read back, never replaced by an older revision.</summary>
[TestClass]
public sealed class DynamoDbCheckpointStoreTests
{
    private static readonly DateTimeOffset s_end = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static LedgerFixture _dynamo = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task ClassInitializeAsync(TestContext context)
    {
        _ = context;
        _dynamo = await LedgerFixture.StartAsync();
    }

    [ClassCleanup]
    public static async Task ClassCleanupAsync() => await _dynamo.DisposeAsync();

    [TestMethod]
    public async Task SaveThenLoad_ReturnsTheCheckpointWithItsRevisionAndAnExpiry()
    {
        var clock = new FakeTimeProvider(s_end);
        var table = await LocalCheckpointTable.CreateAsync(_dynamo.Client, TestContext.CancellationToken);
        var store = new DynamoDbCheckpointStore(_dynamo.Client, table, clock);
        var checkpoint = Checkpoint(revision: 7);

        await store.SaveAsync(checkpoint, TestContext.CancellationToken);
        var loaded = await store.LoadAsync("exp-1", "123456789012", "eu-west-1", TestContext.CancellationToken);

        Assert.IsNotNull(loaded);
        Assert.AreEqual(checkpoint.ToJson(), loaded.ToJson());
        Assert.AreEqual(7, loaded.Revision);
        var item = await _dynamo.Client.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "exp-1/123456789012/eu-west-1" } }, TestContext.CancellationToken);
        Assert.AreEqual((s_end + DynamoDbCheckpointStore.Retention).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item.Item["expiresAt"].N, "the table's time to live removes it a week later");
    }

    [TestMethod]
    public async Task Load_NothingSaved_IsNull()
    {
        var store = new DynamoDbCheckpointStore(_dynamo.Client, await LocalCheckpointTable.CreateAsync(_dynamo.Client, TestContext.CancellationToken));

        Assert.IsNull(await store.LoadAsync("exp-1", "123456789012", "eu-west-1", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task Save_OlderRevision_KeepsTheLaterOne()
    {
        var store = new DynamoDbCheckpointStore(_dynamo.Client, await LocalCheckpointTable.CreateAsync(_dynamo.Client, TestContext.CancellationToken));
        await store.SaveAsync(Checkpoint(revision: 9), TestContext.CancellationToken);

        await store.SaveAsync(Checkpoint(revision: 4), TestContext.CancellationToken);
        await store.SaveAsync(Checkpoint(revision: 9), TestContext.CancellationToken);

        Assert.AreEqual(9, (await store.LoadAsync("exp-1", "123456789012", "eu-west-1", TestContext.CancellationToken))!.Revision);
        await store.SaveAsync(Checkpoint(revision: 10), TestContext.CancellationToken);
        Assert.AreEqual(10, (await store.LoadAsync("exp-1", "123456789012", "eu-west-1", TestContext.CancellationToken))!.Revision);
    }

    [TestMethod]
    public async Task Load_MissingTable_ThrowsNamingTheTable()
    {
        var store = new DynamoDbCheckpointStore(_dynamo.Client, "no-such-table");

        var e = await Assert.ThrowsExactlyAsync<ServiceCallException>(() => store.LoadAsync("exp-1", "123456789012", "eu-west-1", TestContext.CancellationToken));

        Assert.Contains("no-such-table", e.Message);
    }

    private static ExportCheckpoint Checkpoint(long revision)
    {
        var plan = ExportPlan.Create(s_end, TimeSpan.FromDays(90), 2, 1.5);
        var windows = plan.Windows.Select(WindowCheckpoint.NotStarted).ToList();
        windows[0] = windows[0] with { NextToken = "token-" + revision, NextPartSeq = 1, PartSeqHighWater = 2, Findings = 100, Pages = 1, Bytes = 1234 };
        return new ExportCheckpoint(ExportCheckpoint.CurrentVersion, "exp-1", "123456789012", "eu-west-1", plan.End, "none", windows, revision);
    }
}
