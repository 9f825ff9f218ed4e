using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Functions;

[TestClass]
public sealed class ReconcilerFunctionTests
{
    private const string ExportId = "20261123T180000Z-5ca1ab1e";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HandleAsync_ScheduledEvent_OnePassWhoseReportIsTheOutput()
    {
        // Arrange: one export whose only account went silent, one whose launch died with every result in.
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var time = new FakeTimeProvider(Start);
        var notifier = new RecordingNotifier();
        await Exports.SeedAsync(ledger, ExportId, Start, new Dictionary<string, string[]> { ["111111111111"] = ["eu-west-1"] }, TestContext.CancellationToken);
        const string stalled = "20261123T180000Z-00057a11";
        await Exports.SeedAsync(ledger, stalled, Start, new Dictionary<string, string[]> { ["222222222222"] = ["eu-west-1"] }, TestContext.CancellationToken, launched: false);
        var coordinator = new ExportCoordinator(ledger, notifier, new MemoryManifestStore(), new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, time);
        await coordinator.HandleAsync(new RegionExportEvent(stalled, "222222222222", "eu-west-1", RegionExportStatus.Complete, 1), TestContext.CancellationToken);
        var function = new ReconcilerFunction(new ExportReconciler(ledger, coordinator, new ReconcilerOptions(), time));
        time.Advance(TimeSpan.FromHours(26));
        const string scheduled = "{\"version\":\"0\",\"id\":\"s-1\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\",\"account\":\"999999999999\",\"time\":\"2026-11-24T20:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[],\"detail\":{}}";

        // Act
        var first = await InvokeAsync(function, scheduled);
        var second = await InvokeAsync(function, scheduled);

        // Assert
        Assert.AreEqual(2, first["openExports"]!.GetValue<int>());
        Assert.AreEqual(1, first["launchesClosed"]!.GetValue<int>());
        Assert.AreEqual(1, first["regionsSilenced"]!.GetValue<int>());
        Assert.AreEqual(2, first["completed"]!.GetValue<int>());
        Assert.AreEqual(0, second["openExports"]!.GetValue<int>());
        Assert.HasCount(2, notifier.Completions);
    }

    private async Task<JsonNode> InvokeAsync(ReconcilerFunction function, string input)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        await using var output = await function.HandleAsync(stream);
        return (await JsonNode.ParseAsync(output, cancellationToken: TestContext.CancellationToken))!;
    }
}
