using System.Collections.Concurrent;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Core.Tests.Fakes;
using static SecHubFanout.Core.Tests.Fakes.EngineFixture;

namespace SecHubFanout.Core.Tests.Export;

/// <summary>
/// Splits decided by timing (<see cref="ExportOptions.SplitWhenIdle"/>) and by the density of a chain's own findings: a long chain
/// splits so the quota stays busy, nothing is lost or stored twice, a resume from a checkpoint saved after such splits completes,
/// and the oldest window (which starts in 1970) splits by its findings, not by its 56 empty years.
/// </summary>
[TestClass]
public sealed class IdleSplitTests
{
    private static readonly DateTimeOffset s_oldStart = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Two planned windows (the old one and the 90 recent days) of 10-finding pages, four pages in flight, no split by page count.
    private static readonly ExportOptions s_options = FastOptions with
    {
        RecentWindows = 1,
        SplitAfterPages = 0,
        SplitWhenIdle = true,
        WindowConcurrency = 4,
        MaxWindowConcurrency = 4,
    };

    [TestMethod]
    public async Task ExportAsync_SplitWhenIdle_SplitsTheLongChainAndStoresEveryFindingOnce()
    {
        var findings = OldHeavyFindings();
        var sink = new InMemoryPartSink();

        var result = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        var ids = ExportedIds(sink);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may be stored twice");
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        var windows = result.Checkpoint!.Windows;
        Assert.IsTrue(windows.Any(w => w.SplitOff && w.Start < End.AddDays(-90)), "the old window's chain split while slots were idle");
        result.Checkpoint.ToPlan(); // contiguous, no overlap, ends at the pinned end
    }

    [TestMethod]
    public async Task ExportAsync_SplitWhenIdleOff_NeverSplitsByTiming()
    {
        var findings = OldHeavyFindings();

        var result = await Exporter(findings, new InMemoryPartSink(), s_options with { SplitWhenIdle = false }).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.HasCount(2, result.Checkpoint!.Windows);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(6)]
    [DataRow(9)]
    public async Task ExportAsync_ResumeFromACheckpointSavedAfterIdleSplits_StoresEveryFindingOnce(int failingPut)
    {
        var findings = OldHeavyFindings();
        var sink = new InMemoryPartSink { BeforePut = (_, put) => { if (put == failingPut) { throw new IOException("disk full"); } } };
        var saved = new ConcurrentQueue<ExportCheckpoint>();
        var callbacks = new ExportCallbacks { CheckpointSaved = (c, _) => { saved.Enqueue(ExportCheckpoint.Parse(c.ToJson())); return Task.CompletedTask; } };

        var failed = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, null, callbacks, CancellationToken.None);
        Assert.AreEqual(RegionStatus.Failed, failed.Status);
        var last = saved.Last();
        sink.BeforePut = null;
        var resumed = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, last, callbacks, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, resumed.Status, resumed.Reason);
        var ids = ExportedIds(sink);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may be stored twice");
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        resumed.Checkpoint!.ToPlan();
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(5)]
    [DataRow(8)]
    public async Task ExportAsync_CrashAfterAPutBeforeItsCheckpoint_ResumeWithIdleSplitsStoresEveryFindingOnce(int crashAfterPut)
    {
        // The part is stored, then the process dies before the checkpoint that says so: the resume pages those pages again and may
        // split elsewhere, so the key of the lost part must be known (it is recorded before the put) and be rewritten or blanked.
        var findings = OldHeavyFindings();
        var sink = new InMemoryPartSink();
        var crashing = new StoreThenCrashSink(sink, crashAfterPut);
        var saved = new ConcurrentQueue<ExportCheckpoint>();
        var callbacks = new ExportCallbacks { CheckpointSaved = (c, _) => { saved.Enqueue(ExportCheckpoint.Parse(c.ToJson())); return Task.CompletedTask; } };

        var crashed = await Exporter(findings, crashing, s_options).ExportAsync(Request(), Region, null, callbacks, CancellationToken.None);
        Assert.AreEqual(RegionStatus.Failed, crashed.Status);
        var resumed = await Exporter(findings, sink, s_options).ExportAsync(Request(), Region, saved.Last(), callbacks, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, resumed.Status, resumed.Reason);
        var ids = ExportedIds(sink);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may be stored twice");
        Assert.IsTrue(Expected(findings).SetEquals(ids));
    }

    [TestMethod]
    public async Task ExportAsync_OldWindowStartingIn1970_SplitsByTheDensityOfItsOwnFindings()
    {
        // The page-count rule alone, deterministic: measured from 1970 the old window looks empty and never split (bench/README.md).
        var findings = OldHeavyFindings();
        var options = s_options with { SplitWhenIdle = false, SplitAfterPages = 3, WindowConcurrency = 2, MaxWindowConcurrency = 2 };
        var sink = new InMemoryPartSink();

        var result = await Exporter(findings, sink, options).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.IsTrue(result.Checkpoint!.Windows.Any(w => w.SplitOff && w.Start < End.AddDays(-90)), "the old window split");
        Assert.AreEqual(s_oldStart, result.Checkpoint.Windows[0].ChainFirst, "the chain's first finding is recorded");
        var clean = await CleanExportAsync(findings, options, Request());
        AssertSameAsClean(clean, sink);
    }

    [TestMethod]
    public async Task ExportAsync_ReportsWhereTheTimeWent()
    {
        var findings = OldHeavyFindings();
        var source = new FakeFindingSource(Region, findings) { Latency = TimeSpan.FromMilliseconds(2) };
        var exporter = new RegionExporter(source, new InMemoryPartSink(), new LinesFormat(), s_options, TimeProvider.System, new MemorySpool());

        var result = await exporter.ExportAsync(Request(), Region, null, null, CancellationToken.None);

        var timings = result.Timings!;
        Assert.AreEqual(source.Calls, timings.Requests);
        Assert.IsNotNull(timings.FirstRequest);
        Assert.IsNotNull(timings.LastAnswer);
        Assert.IsLessThanOrEqualTo(timings.LastAnswer.Value, timings.FirstRequest.Value);
        Assert.IsLessThanOrEqualTo(result.Duration, timings.LastAnswer.Value);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1), timings.AverageRoundTrip);
        Assert.AreEqual(TimeSpan.FromSeconds((timings.Requests - s_options.Quota.Burst) / s_options.Quota.RequestsPerSecond) is var p && p > TimeSpan.Zero ? p : TimeSpan.Zero, timings.Paced(s_options.Quota));
    }

    // 400 findings in the old window (2021 to 2025, 40 pages) and 30 recent ones: the old window's chain is the long one.
    private static List<FakeFinding> OldHeavyFindings()
    {
        var findings = new List<FakeFinding>();
        for (var i = 0; i < 400; i++)
        {
            findings.Add(new FakeFinding($"old-{i:D4}", s_oldStart.AddHours(i * 100)));
        }

        for (var i = 0; i < 30; i++)
        {
            findings.Add(new FakeFinding($"recent-{i:D4}", End.AddHours(-i * 50)));
        }

        return findings;
    }

    private static RegionExporter Exporter(List<FakeFinding> findings, IPartSink sink, ExportOptions options) =>
        new(new FakeFindingSource(Region, findings) { Latency = TimeSpan.FromMilliseconds(2) }, sink, new LinesFormat(), options, TimeProvider.System, new MemorySpool());

    // Stores put number N, then fails as a process that dies right after the put would (nothing after it is saved).
    private sealed class StoreThenCrashSink(InMemoryPartSink inner, int crashAfterPut) : IPartSink
    {
        private int _puts;

        public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
        {
            await inner.PutAsync(key, content, contentType, cancellationToken);
            if (Interlocked.Increment(ref _puts) == crashAfterPut)
            {
                throw new IOException("the sandbox died after the put");
            }
        }

        public string Describe(string key) => inner.Describe(key);
    }
}
