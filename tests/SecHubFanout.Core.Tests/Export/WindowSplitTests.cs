using System.Collections.Concurrent;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Tests.Fakes;
using static SecHubFanout.Core.Tests.Fakes.EngineFixture;

namespace SecHubFanout.Core.Tests.Export;

/// <summary>
/// Windows that turn out large split while they run: nothing is lost or stored twice, and because the split rule reads only the
/// findings, a rerun (a resume, or a retry after a crash that lost the checkpoint) writes exactly the keys of a clean run.
/// </summary>
[TestClass]
public sealed class WindowSplitTests
{
    private const string Region = "us-east-1";

    // Two planned windows (the old one and the 90 recent days) of 10-finding pages; a window splits every 3 pages.
    private static readonly ExportOptions s_options = FastOptions with { RecentWindows = 1, SplitAfterPages = 3, WindowConcurrency = 2 };

    [TestMethod]
    public async Task ExportAsync_LargeWindows_SplitAndStoreEveryFindingOnce()
    {
        var findings = SampleFindings(s_options, spread: 400);
        var sink = new InMemoryPartSink();

        var result = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        var ids = ExportedIds(sink);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may be stored twice");
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        var windows = result.Checkpoint!.Windows;
        Assert.IsGreaterThan(2, windows.Count, "the recent window split");
        Assert.IsTrue(windows.Where(w => w.SplitOff).All(w => sink.Objects.Keys.Any(k => k.Contains($"/part-{PartKeys.SplitWindowName(w.Start)}-", StringComparison.Ordinal))));
        Assert.IsTrue(windows.Any(w => w.ChainEnd is not null), "a window kept its chain past its new end");
        result.Checkpoint.ToPlan(); // contiguous, no overlap, ends at the pinned end
    }

    [TestMethod]
    public async Task ExportAsync_SplittingOff_KeepsThePlannedWindows()
    {
        var findings = SampleFindings(s_options, spread: 400);
        var result = await Exporter(findings, new InMemoryPartSink(), s_options with { SplitAfterPages = 0 }).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.HasCount(2, result.Checkpoint!.Windows);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(6)]
    public async Task ExportAsync_AnyConcurrency_SplitsAtTheSameInstantsAndWritesTheSameKeys(int concurrency)
    {
        var findings = SampleFindings(s_options, spread: 400);
        var clean = await CleanExportAsync(findings, s_options, Request());
        var sink = new InMemoryPartSink();
        var options = s_options with { WindowConcurrency = concurrency, MaxWindowConcurrency = concurrency };

        await Exporter(findings, sink, options).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        AssertSameAsClean(clean, sink);
    }

    [TestMethod]
    public async Task ExportAsync_RerunAfterACrashThatLostTheCheckpoint_WritesTheKeysOfACleanRunAndNothingTwice()
    {
        // A Lambda invocation that dies keeps its checkpoint in memory only: the retry starts from the checkpoint it was given (here
        // none), pages the same chains again and must split them at the same instants, or parts of the lost run would repeat findings.
        var findings = SampleFindings(s_options, spread: 400);
        var clean = await CleanExportAsync(findings, s_options, Request());
        var sink = new InMemoryPartSink { BeforePut = (_, put) => { if (put == 9) { throw new IOException("sandbox died"); } } };

        var crashed = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, null, null, CancellationToken.None);
        Assert.AreEqual(RegionStatus.Failed, crashed.Status);
        Assert.IsTrue(crashed.Checkpoint!.Windows.Any(w => w.SplitOff), "the crashed run had split a window");
        sink.BeforePut = null;
        var rerun = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, rerun.Status, rerun.Reason);
        AssertSameAsClean(clean, sink);
    }

    [TestMethod]
    [DataRow(5)]
    [DataRow(7)]
    [DataRow(9)]
    [DataRow(11)]
    [DataRow(13)]
    public async Task ExportAsync_ResumeFromACheckpointSavedAfterSplits_CompletesLikeACleanRun(int failingPut)
    {
        // A split is saved when it is decided, the pages before it only when their part is stored: the resume pages them again
        // and must not split a second time against the window's narrowed end.
        var findings = SampleFindings(s_options, spread: 400);
        var clean = await CleanExportAsync(findings, s_options, Request());
        var sink = new InMemoryPartSink { BeforePut = (_, put) => { if (put == failingPut) { throw new IOException("disk full"); } } };
        var saved = new ConcurrentQueue<ExportCheckpoint>();
        var callbacks = new ExportCallbacks { CheckpointSaved = (c, _) => { saved.Enqueue(ExportCheckpoint.Parse(c.ToJson())); return Task.CompletedTask; } };

        await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, null, callbacks, CancellationToken.None);
        var last = saved.Last();
        sink.BeforePut = null;
        var resumed = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, last, callbacks, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, resumed.Status, resumed.Reason);
        AssertSameAsClean(clean, sink);
    }

    private static RegionExporter Exporter(List<FakeFinding> findings, InMemoryPartSink sink, ExportOptions options) =>
        new(new FakeFindingSource(Region, findings), sink, new LinesFormat(), options, TimeProvider.System, new MemorySpool());
}
