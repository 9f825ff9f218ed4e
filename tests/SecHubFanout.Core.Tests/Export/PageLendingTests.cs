using SecHubFanout.Core.Export;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Tests.Fakes;
using static SecHubFanout.Core.Tests.Fakes.EngineFixture;

namespace SecHubFanout.Core.Tests.Export;

/// <summary>A source may lend a page's bytes from a pooled buffer: the engine reads them only until it disposes the page, and disposes every page.</summary>
[TestClass]
public sealed class PageLendingTests
{
    [TestMethod]
    public async Task ExportAsync_PagesPoisonedOnDispose_ExportEqualsTheSourceAndEveryPageIsDisposed()
    {
        // Arrange
        var findings = SampleFindings(FastOptions);
        var source = new LendingFindingSource(new FakeFindingSource(Region, findings));
        var sink = new InMemoryPartSink();
        var exporter = new RegionExporter(source, sink, new LinesFormat(), FastOptions, TimeProvider.System, new MemorySpool());

        // Act
        var result = await exporter.ExportAsync(Request(), Region, null, null, CancellationToken.None);

        // Assert: a finding read after its page was disposed would have come out as '#' bytes and failed to parse.
        var ids = ExportedIds(sink);
        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        Assert.HasCount(ids.Count, ids.ToHashSet());
        Assert.IsGreaterThan(0, source.Pages);
        Assert.AreEqual(source.Pages, source.Disposed, "every page handed to the engine is disposed");
    }
}
