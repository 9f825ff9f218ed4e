using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Functions;

[TestClass]
public sealed class CoordinatorFunctionTests
{
    private const string ExportId = "20261123T180000Z-0badcafe";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    private readonly RecordingNotifier _notifier = new();
    private readonly MemoryManifestStore _manifests = new();
    private DynamoDbLedger _ledger = null!;
    private CoordinatorFunction _function = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task TestInitialize()
    {
        _ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        await _ledger.CreateExportAsync(new ExportRecord(ExportId, Start, Start, ["eu-west-1"], null, null), TestContext.CancellationToken);
        await _ledger.ExpectAccountAsync(ExportId, "111111111111", ["eu-west-1"], attempt: 0, Start, TestContext.CancellationToken);
        var coordinator = new ExportCoordinator(_ledger, _notifier, _manifests, new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, new FakeTimeProvider(Start));
        _function = new CoordinatorFunction(coordinator);
    }

    [TestMethod]
    public async Task HandleAsync_EventBridgeEnvelopeWithFinalResult_AppliedAndCompleted()
    {
        var output = await InvokeAsync(Envelope("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"complete\",\"findings\":42,\"pages\":1,\"parts\":1,\"bytes\":4200,\"throttles\":0,\"retries\":0,\"durationMs\":900}"));

        Assert.AreEqual("applied", output["outcome"]!.GetValue<string>());
        Assert.IsTrue(output["completedExport"]!.GetValue<bool>());
        Assert.AreEqual($"s3://findings-bucket/manifests/{ExportId}.json", output["manifestLocation"]!.GetValue<string>());
        Assert.AreEqual(42, (await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single().Findings);
    }

    [TestMethod]
    public async Task HandleAsync_SameEnvelopeTwice_SecondIsAlreadyTerminal()
    {
        var envelope = Envelope("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"111111111111\",\"region\":\"eu-west-1\",\"status\":\"not-enabled\",\"error\":\"Security Hub is not enabled\"}");

        await InvokeAsync(envelope);
        var second = await InvokeAsync(envelope);

        Assert.AreEqual("already-terminal", second["outcome"]!.GetValue<string>());
        Assert.IsFalse(second["completedExport"]!.GetValue<bool>());
        Assert.AreEqual(1, _notifier.Completions.Count);
    }

    [TestMethod]
    public async Task HandleAsync_ForeignEvent_IgnoredWithoutTouchingTheLedger()
    {
        var output = await InvokeAsync("{\"source\":\"aws.states\",\"detail-type\":\"Step Functions Execution Status Change\",\"detail\":{}}");

        Assert.AreEqual("ignored", output["outcome"]!.GetValue<string>());
        Assert.AreEqual(RegionExportStatus.Pending, (await _ledger.ReadAsync(ExportId, TestContext.CancellationToken))!.Regions.Single().Status);
    }

    [TestMethod]
    public async Task HandleAsync_MalformedDetail_RejectedWithReason()
    {
        var output = await InvokeAsync(Envelope("{\"exportId\":\"" + ExportId + "\",\"accountId\":\"1111\",\"region\":\"eu-west-1\",\"status\":\"complete\"}"));

        Assert.AreEqual("rejected", output["outcome"]!.GetValue<string>());
        StringAssert.Contains(output["error"]!.GetValue<string>(), "accountId '1111'");
    }

    [TestMethod]
    public async Task HandleAsync_NotJson_Rejected()
    {
        var output = await InvokeAsync("not json");

        Assert.AreEqual("rejected", output["outcome"]!.GetValue<string>());
    }

    private static string Envelope(string detail) =>
        "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"Region Export Result\",\"source\":\"sechub-fanout\",\"account\":\"111111111111\",\"time\":\"2026-11-23T18:05:00Z\",\"region\":\"eu-west-1\",\"resources\":[],\"detail\":" + detail + "}";

    private async Task<JsonNode> InvokeAsync(string input)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        await using var output = await _function.HandleAsync(stream);
        return (await JsonNode.ParseAsync(output, cancellationToken: TestContext.CancellationToken))!;
    }
}
