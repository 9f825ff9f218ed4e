using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Exporter.Tests.Fakes;
using SecHubFanout.Exporter.Tests.Support;

namespace SecHubFanout.Exporter.Tests.Functions;

/// <summary>The safety net behind the time budget: an invocation stuck past budget plus grace answers with its last stored checkpoint.</summary>
[TestClass]
public sealed class RegionExportServiceStopTests
{
    [TestMethod]
    public async Task ExportAsync_UploadStuckPastTheBudget_AnswersInProgressWithTheLastStoredCheckpoint()
    {
        var sink = new StallingSink(partsBeforeStall: 1);
        var options = ExporterFunctionTests.Options(TimeSpan.FromMilliseconds(800)) with { StopGrace = TimeSpan.FromMilliseconds(500) };
        options = options with { Export = options.Export with { RecentWindows = 1, WindowConcurrency = 1, Quota = options.Export.Quota with { RequestsPerSecond = 1000, Burst = 1000 } } };
        var function = new ExporterFunction(new RegionExportService(
            new EndlessFindingSource(pageSize: 100), _ => sink, new RecordingFindingCounter(), _ => Task.FromResult("111122223333"), options, TimeProvider.System, spool: new MemorySpool()));
        var input = ExporterLoop.FirstInput("20261123T190000Z-5708aaaa", "eu-west-1", new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero));

        var output = await ExporterLoop.InvokeAsync(function, input);

        Assert.AreEqual(ExporterOutput.InProgress, output.Status, output.Error);
        Assert.IsNotNull(output.Checkpoint);
        var checkpoint = ExportCheckpoint.Parse(output.Checkpoint.Value.GetRawText());
        Assert.HasCount(1, sink.Stored);
        Assert.AreEqual(200L, checkpoint.Findings, "the checkpoint covers exactly the one stored part (two pages of 100)");
        Assert.AreEqual(checkpoint.Findings, output.Counts.Findings);
        Assert.AreEqual(1, checkpoint.Parts);
        Assert.AreNotEqual(RegionExportStatus.Failed, output.Status);
    }
}
