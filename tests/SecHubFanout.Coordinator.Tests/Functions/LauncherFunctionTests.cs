using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Functions;

[TestClass]
public sealed class LauncherFunctionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HandleAsync_EmptyInput_StartsEveryAccountInDefaultRegions()
    {
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var time = new FakeTimeProvider(Start);
        var starter = new RecordingExportStarter(default, "222222222222");
        var launcher = new ExportLauncher(ledger, new FixedAccountDirectory("111111111111", "222222222222"), starter, Coordinator(ledger, time), new LauncherOptions { DefaultRegions = ["eu-west-1", "eu-north-1"] }, time);
        var function = new LauncherFunction(launcher, time: time);

        var result = await InvokeAsync(function, string.Empty);

        var exportId = result["exportId"]!.GetValue<string>();
        Assert.IsTrue(ExportIds.IsValid(exportId));
        Assert.AreEqual(1, result["started"]!.GetValue<int>());
        Assert.AreEqual(1, result["failed"]!.GetValue<int>());
        Assert.IsFalse(result["continued"]!.GetValue<bool>());
        CollectionAssert.AreEqual(new[] { "eu-west-1", "eu-north-1" }, result["regions"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray());
        Assert.AreEqual("222222222222", result["failures"]![0]!["accountId"]!.GetValue<string>());
        StringAssert.Contains(result["failures"]![0]!["error"]!.GetValue<string>(), "AccessDenied");
        Assert.HasCount(4, await Exports.RegionsAsync(ledger, exportId, TestContext.CancellationToken));
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

    [TestMethod]
    public async Task HandleAsync_LaunchLongerThanTheFunctionTimeout_StopsTwoMinutesBeforeAndTheHandedOnRequestFinishesIt()
    {
        // Arrange: a 15-minute function; each account takes the fake clock 5 minutes on, so the fourth would start after minute 13.
        var ledger = await SharedLedger.Fixture.CreateLedgerAsync(TestContext.CancellationToken);
        var time = new FakeTimeProvider(Start);
        var accounts = Enumerable.Range(1, 5).Select(i => $"70000000000{i}").ToArray();
        var starter = new RecordingExportStarter();
        starter.OnStart = _ =>
        {
            time.Advance(TimeSpan.FromMinutes(5));
            return Task.CompletedTask;
        };
        var continuation = new RecordingContinuation();
        var launcher = new ExportLauncher(ledger, new FixedAccountDirectory(accounts), starter, Coordinator(ledger, time), new LauncherOptions { MaxConcurrency = 1, DefaultRegions = ["eu-west-1"] }, time, continuation);
        var function = new LauncherFunction(launcher, TimeSpan.FromMinutes(15), time);

        // Act: the first invocation, then the handed-on request as Lambda would deliver it (JSON) to the next one.
        var first = await InvokeAsync(function, string.Empty);
        var handedOn = JsonSerializer.Serialize(continuation.Requests.Single(), OrchestrationJsonContext.Default.LaunchRequest);
        var second = await InvokeAsync(function, handedOn);

        // Assert
        Assert.IsTrue(first["continued"]!.GetValue<bool>());
        Assert.AreEqual(3, first["started"]!.GetValue<int>());
        StringAssert.Contains(handedOn, "\"continueExportId\":\"" + first["exportId"]!.GetValue<string>() + "\"");
        Assert.IsFalse(second["continued"]!.GetValue<bool>());
        Assert.AreEqual(2, second["started"]!.GetValue<int>());
        Assert.AreEqual(first["exportId"]!.GetValue<string>(), second["exportId"]!.GetValue<string>());
        CollectionAssert.AreEqual(accounts, starter.Started.Select(e => e.AccountId).Order(StringComparer.Ordinal).ToArray());
        Assert.IsNotNull((await ledger.GetExportAsync(first["exportId"]!.GetValue<string>(), TestContext.CancellationToken))!.LaunchedAt);
    }

    private static ExportCoordinator Coordinator(ILedger ledger, TimeProvider time) =>
        new(ledger, new RecordingNotifier(), new MemoryManifestStore(), new RecordingPartitionRegistrar(), new CoordinatorOptions { FindingsBucket = "findings-bucket" }, time);

    private async Task<JsonNode> InvokeAsync(LauncherFunction function, string input)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        await using var output = await function.HandleAsync(stream);
        return (await JsonNode.ParseAsync(output, cancellationToken: TestContext.CancellationToken))!;
    }
}
