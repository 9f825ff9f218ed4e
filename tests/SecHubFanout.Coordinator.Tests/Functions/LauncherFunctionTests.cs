using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Functions;

[TestClass]
public sealed class LauncherFunctionTests
{

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HandleAsync_EmptyInput_StartsEveryAccountInDefaultRegions()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero));
        var starter = new RecordingExportStarter(default, "222222222222");
        var launcher = new ExportLauncher(ledger, new FixedAccountDirectory("111111111111", "222222222222"), starter, Coordinator(ledger, time), new LauncherOptions { DefaultRegions = ["eu-west-1", "eu-north-1"] }, time);
        var function = new LauncherFunction(launcher);

        using var input = new MemoryStream();
        await using var output = await function.HandleAsync(input);
        var result = (await JsonNode.ParseAsync(output, cancellationToken: TestContext.CancellationToken))!;

        var exportId = result["exportId"]!.GetValue<string>();
        Assert.IsTrue(ExportIds.IsValid(exportId));
        Assert.AreEqual(1, result["started"]!.GetValue<int>());
        Assert.AreEqual(1, result["failed"]!.GetValue<int>());
        CollectionAssert.AreEqual(new[] { "eu-west-1", "eu-north-1" }, result["regions"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray());
        StringAssert.Contains(result["accounts"]![1]!["error"]!.GetValue<string>(), "AccessDenied");
        Assert.HasCount(4, (await ledger.ReadAsync(exportId, TestContext.CancellationToken))!.Regions);
    }

    [TestMethod]
    public async Task HandleAsync_RestartRequestOfUnknownExport_ThrowsArgumentException()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var time = new FakeTimeProvider();
        var function = new LauncherFunction(new ExportLauncher(ledger, new FixedAccountDirectory(), new RecordingExportStarter(), Coordinator(ledger, time), new LauncherOptions(), time));

        using var input = new MemoryStream(Encoding.UTF8.GetBytes("{\"exportId\":\"20260101T000000Z-deadbeef\",\"accounts\":[\"111111111111\"]}"));

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => function.HandleAsync(input));
    }

    private static ExportCoordinator Coordinator(ILedger ledger, TimeProvider time) =>
        new(ledger, new RecordingNotifier(), new MemoryManifestStore(), new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, time);
}
