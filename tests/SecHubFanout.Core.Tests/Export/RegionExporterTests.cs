using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Tests.Fakes;
using static SecHubFanout.Core.Tests.Fakes.EngineFixture;

namespace SecHubFanout.Core.Tests.Export;

[TestClass]
public sealed class RegionExporterTests
{
    [TestMethod]
    public async Task ExportAsync_CleanRun_WritesExactlyTheSourceSetOnce()
    {
        var findings = SampleFindings(FastOptions);
        var source = new FakeFindingSource(Region, findings);
        var sink = new InMemoryPartSink();

        var result = await Exporter(source, sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        var ids = ExportedIds(sink);
        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may be exported twice");
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        Assert.AreEqual(ids.Count, result.Findings);
        Assert.AreEqual(sink.Objects.Count, result.Parts);
        Assert.AreEqual(sink.Objects.Values.Sum(o => (long)o.Length), result.Bytes);
        Assert.IsTrue(result.Checkpoint!.IsComplete);
        Assert.IsTrue(sink.Objects.Keys.All(k => k.StartsWith(result.KeyPrefix, StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ExportAsync_FindingsOnWindowEdges_ExportedExactlyOnce()
    {
        var findings = SampleFindings(FastOptions, spread: 0);
        var sink = new InMemoryPartSink();

        await Exporter(new FakeFindingSource(Region, findings), sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        var edgeIds = ExportedIds(sink).Where(id => id.StartsWith("edge-", StringComparison.Ordinal)).ToList();
        Assert.HasCount(2 * (FastOptions.RecentWindows + 1), edgeIds);
        Assert.HasCount(edgeIds.Count, edgeIds.ToHashSet());
        Assert.DoesNotContain("after-end-1ms", ExportedIds(sink));
    }

    [TestMethod]
    public async Task ExportAsync_Parts_HoldAtMostPartSizeFindingsAndEndOnPageBoundaries()
    {
        var findings = SampleFindings(FastOptions);
        var sink = new InMemoryPartSink();

        await Exporter(new FakeFindingSource(Region, findings), sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        var sizes = sink.Objects.Values.Select(o => IdsOf(o).Count).ToList();
        Assert.IsTrue(sizes.All(s => s is > 0 and <= 30), string.Join(",", sizes));
        Assert.IsTrue(sizes.Any(s => s == 30), "full parts hold three full pages");
    }

    [TestMethod]
    public async Task ExportAsync_EveryPageOfAWindow_SendsByteIdenticalQuery()
    {
        var source = new FakeFindingSource(Region, SampleFindings(FastOptions));

        var result = await Exporter(source, new InMemoryPartSink()).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(0, result.WindowRestarts, "a changed query would have invalidated the token");
        Assert.HasCount(FastOptions.RecentWindows + 1, source.QueriesByWindow);
        Assert.IsTrue(source.QueriesByWindow.Values.All(hashes => hashes.Count == 1));
        Assert.IsGreaterThan(source.QueriesByWindow.Count, result.Pages);
    }

    [TestMethod]
    public async Task ExportAsync_UserFilters_AppliedOnEveryWindow()
    {
        var findings = SampleFindings(FastOptions);
        var request = Request() with { Filters = FindingFilters.Parse("""{"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}]}""") };
        var sink = new InMemoryPartSink();

        await Exporter(new FakeFindingSource(Region, findings), sink).ExportAsync(request, Region, null, null, CancellationToken.None);

        var expected = findings.Where(f => f.RecordState == "ACTIVE" && f.UpdatedAt <= End).Select(f => f.Id).ToHashSet();
        Assert.IsTrue(expected.SetEquals(ExportedIds(sink)));
    }

    [TestMethod]
    public async Task ExportAsync_Since_ExportsOnlyFindingsUpdatedSince()
    {
        var findings = SampleFindings(FastOptions);
        var since = End - TimeSpan.FromDays(30);
        var sink = new InMemoryPartSink();

        var result = await Exporter(new FakeFindingSource(Region, findings), sink).ExportAsync(Request() with { Since = since }, Region, null, null, CancellationToken.None);

        Assert.AreEqual(since, result.Checkpoint!.Windows[0].Start);
        Assert.IsTrue(Expected(findings, since).SetEquals(ExportedIds(sink)));
    }

    [TestMethod]
    public async Task ExportAsync_ThrottlesAndServerErrors_RetriesAndCompletes()
    {
        // Every page is throttled on its first attempt and fails with a 500 on its second.
        var findings = SampleFindings(FastOptions);
        var attempts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var source = new FakeFindingSource(Region, findings)
        {
            BeforeServe = (request, _) =>
            {
                var attempt = attempts.AddOrUpdate(Convert.ToBase64String(request.Query.Span) + request.NextToken, 1, (_, n) => n + 1);
                if (attempt == 1)
                {
                    throw FakeFindingSource.Throttle();
                }

                if (attempt == 2)
                {
                    throw FakeFindingSource.ServerError();
                }
            },
        };
        var sink = new InMemoryPartSink();

        var result = await Exporter(source, sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.IsTrue(Expected(findings).SetEquals(ExportedIds(sink)));
        Assert.HasCount(ExportedIds(sink).Count, ExportedIds(sink).ToHashSet());
        Assert.AreEqual(result.Pages, result.Throttles);
        Assert.AreEqual(2 * result.Pages, result.Retries);
    }

    [TestMethod]
    public async Task ExportAsync_NotEnabled_ReportsNotEnabledAndWritesNothing()
    {
        var source = new FakeFindingSource(Region, SampleFindings(FastOptions));
        source.NotEnabledRegions.Add(Region);
        var sink = new InMemoryPartSink();

        var result = await Exporter(source, sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.NotEnabled, result.Status);
        Assert.IsEmpty(sink.Objects);
        Assert.IsNull(result.Checkpoint);
    }

    [TestMethod]
    public async Task ExportAsync_InvalidInput_FailsWithTheServiceReason()
    {
        var source = new FakeFindingSource(Region, SampleFindings(FastOptions))
        {
            BeforeServe = (_, call) =>
            {
                if (call == 5)
                {
                    throw new ServiceCallException(ServiceErrorKind.InvalidInput, "Filter Foo is not supported", "InvalidInputException", 400);
                }
            },
        };

        var result = await Exporter(source, new InMemoryPartSink()).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Failed, result.Status);
        StringAssert.Contains(result.Reason, "InvalidInputException");
        StringAssert.Contains(result.Reason, "Filter Foo is not supported");
        Assert.IsNotNull(result.Checkpoint);
    }

    [TestMethod]
    public async Task ExportAsync_ServerErrorsOutlastRetries_FailsSayingSo()
    {
        var source = new FakeFindingSource(Region, SampleFindings(FastOptions)) { BeforeServe = (_, _) => throw FakeFindingSource.ServerError() };

        var result = await Exporter(source, new InMemoryPartSink()).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Failed, result.Status);
        StringAssert.Contains(result.Reason, "after 6 retries");
        Assert.IsGreaterThanOrEqualTo(6, result.Retries);
    }

    [TestMethod]
    public async Task ExportAsync_SinkFailsMidExport_ResumeFromLastCheckpointRewritesTheSameKeys()
    {
        var findings = SampleFindings(FastOptions);
        var clean = await CleanExportAsync(findings, FastOptions, Request());
        var source = new FakeFindingSource(Region, findings);
        var sink = new InMemoryPartSink { BeforePut = (_, put) => { if (put == 4) { throw new IOException("disk full"); } } };
        var saved = new ConcurrentQueue<ExportCheckpoint>();
        var callbacks = new ExportCallbacks { CheckpointSaved = (c, _) => { saved.Enqueue(ExportCheckpoint.Parse(c.ToJson())); return Task.CompletedTask; } };

        var crashed = await Exporter(source, sink).ExportAsync(Request(), Region, null, callbacks, CancellationToken.None);
        var storedBeforeResume = sink.PutLog.Count;
        sink.BeforePut = null;
        var resumed = await Exporter(source, sink).ExportAsync(Request(), Region, saved.Last(), callbacks, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Failed, crashed.Status);
        StringAssert.Contains(crashed.Reason, "disk full");
        Assert.IsGreaterThanOrEqualTo(3, storedBeforeResume, "three parts were stored before the failure (windows storing at that moment may add theirs)");
        Assert.AreEqual(RegionStatus.Complete, resumed.Status, resumed.Reason);
        AssertSameAsClean(clean, sink);
        Assert.AreEqual(ExportedIds(sink).Count, resumed.Findings);
    }

    [TestMethod]
    public async Task ExportAsync_CancelledMidExport_ResumeFromLastCheckpointCompletesWithoutDuplicates()
    {
        var findings = SampleFindings(FastOptions);
        var clean = await CleanExportAsync(findings, FastOptions, Request());
        var source = new FakeFindingSource(Region, findings);
        var sink = new InMemoryPartSink();
        using var crash = new CancellationTokenSource();
        ExportCheckpoint? persisted = null;
        var advances = 0;
        var callbacks = new ExportCallbacks
        {
            CheckpointSaved = async (c, _) =>
            {
                persisted = ExportCheckpoint.Parse(c.ToJson());
                if (++advances == 5)
                {
                    await crash.CancelAsync();
                }
            },
        };

        await Assert.ThrowsExactlyAsync<OperationCanceledException>(() => Exporter(source, sink).ExportAsync(Request(), Region, null, callbacks, crash.Token));
        var keysBeforeResume = sink.Objects.Keys.ToHashSet();
        var resumed = await Exporter(source, sink).ExportAsync(Request(), Region, persisted, null, CancellationToken.None);

        Assert.IsFalse(persisted!.IsComplete);
        Assert.IsNotEmpty(keysBeforeResume);
        Assert.AreEqual(RegionStatus.Complete, resumed.Status, resumed.Reason);
        AssertSameAsClean(clean, sink);
    }

    [TestMethod]
    public async Task ExportAsync_TokenExpiresMidWindow_RestartsTheWindowAndRewritesItsParts()
    {
        var findings = SampleFindings(FastOptions);
        var clean = await CleanExportAsync(findings, FastOptions, Request());
        var expired = 0;
        FakeFindingSource? source = null;
        source = new FakeFindingSource(Region, findings)
        {
            BeforeServe = (request, _) =>
            {
                if (request.NextToken is not null && request.NextToken.EndsWith(":60", StringComparison.Ordinal) && Interlocked.Exchange(ref expired, 1) == 0)
                {
                    source!.ExpireTokens();
                }
            },
        };
        var sink = new InMemoryPartSink();

        var result = await Exporter(source, sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.IsGreaterThanOrEqualTo(1, result.WindowRestarts);
        Assert.IsGreaterThan(sink.Objects.Count, sink.Puts, "the restarted window's parts were written again");
        AssertSameAsClean(clean, sink);
    }

    [TestMethod]
    public async Task ExportAsync_RestartedWindowShrank_StaleTrailingPartsAreEmptied()
    {
        // One recent window, one page per part: after four parts are stored, half of the findings move out of the window (updated
        // after the export's end) and the token expires, so the restarted window has fewer parts than the first pass stored.
        var options = FastOptions with { RecentWindows = 1, PartSize = 10 };
        var findings = Enumerable.Range(0, 50).Select(i => new FakeFinding($"f-{i:D3}", End - TimeSpan.FromHours(50 - i))).ToList();
        var moved = 0;
        FakeFindingSource? source = null;
        source = new FakeFindingSource(Region, findings)
        {
            BeforeServe = (request, _) =>
            {
                if (request.NextToken?.EndsWith(":40", StringComparison.Ordinal) == true && Interlocked.Exchange(ref moved, 1) == 0)
                {
                    source!.Remove(Region, f => int.Parse(f.Id[2..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0);
                    source.ExpireTokens();
                }
            },
        };
        var sink = new InMemoryPartSink();

        var result = await new RegionExporter(source, sink, new LinesFormat(), options, TimeProvider.System, new MemorySpool())
            .ExportAsync(Request(), Region, null, null, CancellationToken.None);

        var ids = ExportedIds(sink);
        var stale = sink.Objects.Single(o => o.Key.EndsWith("part-0001-00003.lines", StringComparison.Ordinal));
        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.AreEqual(1, result.WindowRestarts);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may appear in a stale part and a rewritten one");
        Assert.IsTrue(findings.Where((_, i) => i % 2 == 1).Select(f => f.Id).ToHashSet().SetEquals(ids));
        Assert.IsEmpty(IdsOf(stale.Value), "the stale fourth part is replaced by an empty part");
        Assert.AreEqual(3, result.Parts);
    }

    [TestMethod]
    public async Task ExportAsync_TimeBudgetEnds_SealsPartsReturnsCheckpointAndASecondRunCompletes()
    {
        var findings = SampleFindings(FastOptions);
        var time = new FakeTimeProvider(End);
        var source = new FakeFindingSource(Region, findings) { BeforeServe = (_, _) => time.Advance(TimeSpan.FromSeconds(1)) };
        var sink = new InMemoryPartSink();
        var options = FastOptions with { Quota = new() { RequestsPerSecond = 10, Burst = 20 } };
        var exporter = new RegionExporter(source, sink, new LinesFormat(), options, time, new MemorySpool());

        var first = await exporter.ExportAsync(Request() with { TimeBudget = TimeSpan.FromSeconds(10) }, Region, null, null, CancellationToken.None);
        var storedAfterFirst = ExportedIds(sink);
        var second = await exporter.ExportAsync(Request(), Region, first.Checkpoint, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.InProgress, first.Status);
        Assert.IsFalse(first.Checkpoint!.IsComplete);
        Assert.AreEqual(storedAfterFirst.Count, first.Findings, "the checkpoint counts exactly what is stored");
        Assert.IsGreaterThan(0, first.Findings);
        // Each serve takes one second of fake time; at the deadline every window worker may finish the request it has in flight.
        Assert.IsLessThanOrEqualTo(TimeSpan.FromSeconds(10 + options.WindowConcurrency), first.Duration);
        Assert.AreEqual(RegionStatus.Complete, second.Status, second.Reason);
        var ids = ExportedIds(sink);
        Assert.HasCount(ids.Count, ids.ToHashSet());
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        Assert.AreEqual(ids.Count, second.Findings);
    }

    [TestMethod]
    public async Task ExportAsync_CompleteCheckpoint_DoesNothing()
    {
        var findings = SampleFindings(FastOptions);
        var source = new FakeFindingSource(Region, findings);
        var first = await Exporter(source, new InMemoryPartSink()).ExportAsync(Request(), Region, null, null, CancellationToken.None);
        var callsAfterFirst = source.Calls;
        var sink = new InMemoryPartSink();

        var again = await Exporter(source, sink).ExportAsync(Request(), Region, first.Checkpoint, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, again.Status);
        Assert.AreEqual(callsAfterFirst, source.Calls);
        Assert.IsEmpty(sink.Objects);
        Assert.AreEqual(first.Findings, again.Findings);
    }

    [TestMethod]
    public async Task ExportAsync_ResumeWithOtherFilters_ThrowsBeforeAnyCall()
    {
        var source = new FakeFindingSource(Region, SampleFindings(FastOptions));
        var first = await Exporter(source, new InMemoryPartSink()).ExportAsync(Request() with { TimeBudget = TimeSpan.FromTicks(1) }, Region, null, null, CancellationToken.None);
        var calls = source.Calls;
        var other = Request() with { Filters = FindingFilters.Parse("""{"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}]}""") };

        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => Exporter(source, new InMemoryPartSink()).ExportAsync(other, Region, first.Checkpoint, null, CancellationToken.None));

        StringAssert.Contains(error.Message, "other filters");
        Assert.AreEqual(calls, source.Calls);
    }

    [TestMethod]
    public async Task ExportAsync_Progress_ReportsRunningCountsEndingAtTheTotal()
    {
        var findings = SampleFindings(FastOptions);
        var progress = new SyncProgress<RegionProgress>();

        var result = await Exporter(new FakeFindingSource(Region, findings), new InMemoryPartSink())
            .ExportAsync(Request(), Region, null, new ExportCallbacks { Progress = progress }, CancellationToken.None);

        var last = progress.Reports[^1];
        Assert.IsGreaterThan(result.Pages, progress.Reports.Count);
        Assert.AreEqual(result.Findings, last.Findings);
        Assert.AreEqual(last.Windows, last.WindowsDone);
        Assert.AreEqual(result.Parts, last.Parts);
    }

    [TestMethod]
    public async Task ExportAsync_SlowService_PagesSeveralWindowsAtOnceWithinTheLimit()
    {
        var source = new FakeFindingSource(Region, SampleFindings(FastOptions)) { Latency = TimeSpan.FromMilliseconds(15) };

        await Exporter(source, new InMemoryPartSink()).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.IsGreaterThanOrEqualTo(2, source.MaxInFlight);
        Assert.IsLessThanOrEqualTo(FastOptions.MaxWindowConcurrency, source.MaxInFlight);
    }

    [TestMethod]
    public async Task ExportAsync_SlowService_RaisesPagesInFlightAboveTheInitialCount()
    {
        // 15 ms round trips under a quota of 100,000 requests/s: rate x latency asks for far more than the 3 pages it starts with.
        var findings = SampleFindings(FastOptions);
        var source = new FakeFindingSource(Region, findings) { Latency = TimeSpan.FromMilliseconds(15) };
        var sink = new InMemoryPartSink();

        var result = await Exporter(source, sink).ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status);
        Assert.IsGreaterThan(FastOptions.WindowConcurrency, source.MaxInFlight);
        Assert.IsTrue(Expected(findings).SetEquals(ExportedIds(sink)));
    }

    [TestMethod]
    public async Task ExportAsync_QuotaBoundService_KeepsOnlyAsManyPagesInFlightAsTheQuotaUses()
    {
        // 20 ms round trips under 10 requests/s: 0.2 pages are busy on average, so the target stays at 1 + ceil(10 x 0.02 x 1.3) = 2
        // (up to 77 ms round trips on a loaded machine), far below the ceiling of 12 that a slow service gets.
        var options = FastOptions with { WindowConcurrency = 1, MaxWindowConcurrency = 12, Quota = new QuotaOptions { RequestsPerSecond = 10, Burst = 1 } };
        var findings = SampleFindings(options).Take(150).ToList();
        var source = new FakeFindingSource(Region, findings) { Latency = TimeSpan.FromMilliseconds(20) };
        var sink = new InMemoryPartSink();
        var exporter = new RegionExporter(source, sink, new LinesFormat(), options, TimeProvider.System, new MemorySpool());

        var result = await exporter.ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status);
        Assert.IsLessThanOrEqualTo(2, source.MaxInFlight);
        Assert.IsTrue(Expected(findings).SetEquals(ExportedIds(sink)));
    }

    private static RegionExporter Exporter(FakeFindingSource source, InMemoryPartSink sink) =>
        new(source, sink, new LinesFormat(), FastOptions, TimeProvider.System, new MemorySpool());
}
