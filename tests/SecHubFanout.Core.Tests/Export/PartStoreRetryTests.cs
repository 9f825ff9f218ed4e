using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Core.Tests.Fakes;
using static SecHubFanout.Core.Tests.Fakes.EngineFixture;

namespace SecHubFanout.Core.Tests.Export;

/// <summary>A sink that refuses parts (S3's 503 SlowDown, 500 InternalError) slows a Region down instead of failing it, and what
/// still fails is named as the sink's failure, not GetFindings'.</summary>
[TestClass]
public sealed class PartStoreRetryTests
{
    private const string Region = "us-east-1";

    [TestMethod]
    public async Task ExportAsync_SinkRefusesNearlyHalfThePuts_RetriesAndStoresEveryFindingOnce()
    {
        var findings = SampleFindings(FastOptions);
        var sink = new RefusingSink(new InMemoryPartSink(), refuse: put => put % 20 < 9); // 45 % of the attempts

        var result = await new RegionExporter(new FakeFindingSource(Region, findings), sink, new LinesFormat(), FastOptions, TimeProvider.System, new MemorySpool())
            .ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Complete, result.Status, result.Reason);
        var ids = ExportedIds(sink.Inner);
        Assert.HasCount(ids.Count, ids.ToHashSet(), "no finding may be stored twice");
        Assert.IsTrue(Expected(findings).SetEquals(ids));
        Assert.IsGreaterThan(0, result.Retries);
        Assert.IsGreaterThan(sink.Inner.Objects.Count, sink.Attempts, "some puts were retried");
    }

    [TestMethod]
    public async Task ExportAsync_SinkKeepsRefusing_FailsTheRegionNamingThePartAndTheSink()
    {
        var findings = SampleFindings(FastOptions);
        var sink = new RefusingSink(new InMemoryPartSink(), refuse: _ => true);

        var result = await new RegionExporter(new FakeFindingSource(Region, findings), sink, new LinesFormat(), FastOptions, TimeProvider.System, new MemorySpool())
            .ExportAsync(Request(), Region, null, null, CancellationToken.None);

        Assert.AreEqual(RegionStatus.Failed, result.Status);
        StringAssert.StartsWith(result.Reason, "Storing part memory://findings/", StringComparison.Ordinal);
        StringAssert.Contains(result.Reason, $"after {FastOptions.Retry.MaxRetries} retries (SlowDown)", StringComparison.Ordinal);
        Assert.DoesNotContain("GetFindings", result.Reason!, StringComparison.Ordinal);
        Assert.AreEqual(ServiceErrorKind.Throttled, result.FailureKind);
        Assert.IsEmpty(sink.Inner.Objects);
    }

    /// <summary>Reads part of each refused part before failing, as a connection dropped mid-upload would, so a retry must rewind.</summary>
    private sealed class RefusingSink(InMemoryPartSink inner, Func<int, bool> refuse) : IPartSink
    {
        private int _attempts;

        public InMemoryPartSink Inner => inner;

        public int Attempts => Volatile.Read(ref _attempts);

        public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
        {
            if (refuse(Interlocked.Increment(ref _attempts)))
            {
                await content.ReadAtLeastAsync(new byte[16], 1, throwOnEndOfStream: false, cancellationToken);
                throw new ServiceCallException(ServiceErrorKind.Throttled, $"S3 throttled writing {Describe(key)} (SlowDown): slow down and retry.", "SlowDown", 503);
            }

            await inner.PutAsync(key, content, contentType, cancellationToken);
        }

        public string Describe(string key) => inner.Describe(key);
    }
}
