using System.Collections.Concurrent;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Tests.Fakes;
using static SecHubFanout.Core.Tests.Fakes.EngineFixture;

namespace SecHubFanout.Core.Tests.Export;

[TestClass]
public sealed class AccountExporterTests
{
    private static readonly string[] s_regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

    [TestMethod]
    public async Task ExportAsync_MixedRegions_HealthyRegionsCompleteWhileOthersReportTheirStatus()
    {
        var (source, expected) = FourRegions();
        source.NotEnabledRegions.Add("eu-west-1");
        source.BeforeServe = (request, _) =>
        {
            if (request.Region == "ap-southeast-2")
            {
                throw new ServiceCallException(ServiceErrorKind.AccessDenied, "not authorized to perform securityhub:GetFindings", "AccessDeniedException", 403);
            }
        };
        var sink = new InMemoryPartSink();

        var result = await Exporter(source, sink).ExportAsync(Request(), s_regions, null, null, CancellationToken.None);

        CollectionAssert.AreEqual(s_regions, result.Regions.Select(r => r.Region).ToList());
        CollectionAssert.AreEqual(
            new[] { RegionStatus.Complete, RegionStatus.Complete, RegionStatus.NotEnabled, RegionStatus.Failed },
            result.Regions.Select(r => r.Status).ToList());
        StringAssert.Contains(result.Regions[3].Reason, "AccessDeniedException");
        Assert.IsFalse(result.IsComplete);
        Assert.AreEqual(End, result.End);
        foreach (var region in s_regions[..2])
        {
            var ids = IdsIn(sink, region);
            Assert.HasCount(ids.Count, ids.ToHashSet(), region);
            Assert.IsTrue(expected[region].SetEquals(ids), region);
        }

        Assert.IsEmpty(IdsIn(sink, "eu-west-1"));
        Assert.AreEqual(result.Regions.Sum(r => r.Findings), result.Findings);
    }

    [TestMethod]
    public async Task ExportAsync_NoUntil_PinsOneEndForEveryRegion()
    {
        var (source, _) = FourRegions();

        var result = await Exporter(source, new InMemoryPartSink()).ExportAsync(Request() with { Until = null }, s_regions, null, null, CancellationToken.None);

        var ends = result.Regions.Select(r => r.Checkpoint!.End).Distinct().ToList();
        Assert.HasCount(1, ends);
        Assert.AreEqual(result.End, ends[0]);
        Assert.AreEqual(0, ends[0].Ticks % TimeSpan.TicksPerMillisecond);
    }

    [TestMethod]
    public async Task ExportAsync_UnknownRegionName_ThrowsBeforeAnyCall()
    {
        var (source, _) = FourRegions();

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Exporter(source, new InMemoryPartSink()).ExportAsync(Request(), ["us-east-1", "Mars"], null, null, CancellationToken.None));

        Assert.AreEqual(0, source.Calls);
    }

    [TestMethod]
    public async Task ExportAsync_CrashThenResumeWithEachRegionsLastCheckpoint_CompletesWithoutDuplicates()
    {
        var (source, expected) = FourRegions();
        var sink = new InMemoryPartSink();
        var persisted = new ConcurrentDictionary<string, ExportCheckpoint>(StringComparer.Ordinal);
        using var crash = new CancellationTokenSource();
        var advances = 0;
        var callbacks = new ExportCallbacks
        {
            CheckpointSaved = async (c, _) =>
            {
                persisted[c.Region] = ExportCheckpoint.Parse(c.ToJson());
                if (Interlocked.Increment(ref advances) == 12)
                {
                    await crash.CancelAsync();
                }
            },
        };

        await Assert.ThrowsAsync<OperationCanceledException>(() => Exporter(source, sink).ExportAsync(Request(), s_regions, null, callbacks, crash.Token));
        var result = await Exporter(source, sink).ExportAsync(Request() with { Until = null }, s_regions, persisted.Values.ToList(), callbacks, CancellationToken.None);

        Assert.IsTrue(result.IsComplete);
        Assert.AreEqual(End, result.End, "the checkpoints' pinned end wins");
        foreach (var region in s_regions)
        {
            var ids = IdsIn(sink, region);
            Assert.HasCount(ids.Count, ids.ToHashSet(), region);
            Assert.IsTrue(expected[region].SetEquals(ids), region);
        }
    }

    private static AccountExporter Exporter(FakeFindingSource source, InMemoryPartSink sink) =>
        new(source, sink, new LinesFormat(), FastOptions with { RegionConcurrency = 2 }, TimeProvider.System, new MemorySpool());

    private static (FakeFindingSource Source, Dictionary<string, HashSet<string>> Expected) FourRegions()
    {
        var source = new FakeFindingSource(s_regions[0], []);
        var expected = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var region in s_regions)
        {
            var findings = SampleFindings(FastOptions, spread: 60).Select(f => f with { Id = $"{region}/{f.Id}" }).ToList();
            source.Add(region, findings);
            expected[region] = Expected(findings);
        }

        return (source, expected);
    }

    private static List<string> IdsIn(InMemoryPartSink sink, string region) =>
        sink.Objects.Where(o => o.Key.Contains($"/region={region}/", StringComparison.Ordinal)).SelectMany(o => IdsOf(o.Value)).ToList();
}
