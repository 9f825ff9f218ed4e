using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Tests.Checkpoints;

[TestClass]
public sealed class ExportCheckpointTests
{
    private static readonly DateTimeOffset s_end = new(2026, 11, 23, 18, 0, 0, 123, TimeSpan.Zero);

    [TestMethod]
    public void ToJson_Parse_RoundTripsEveryField()
    {
        var checkpoint = Sample();

        var json = checkpoint.ToJson();
        var parsed = ExportCheckpoint.Parse(json);

        Assert.AreEqual(checkpoint with { Windows = [] }, parsed with { Windows = [] });
        CollectionAssert.AreEqual(checkpoint.Windows.ToList(), parsed.Windows.ToList());
        Assert.AreEqual(json, parsed.ToJson());
    }

    [TestMethod]
    public void ToJson_Shape_CamelCaseWithIsoInstantsAndNoDerivedTotals()
    {
        var json = Sample().ToJson();

        StringAssert.Contains(json, "\"nextToken\":\"tok/");
        StringAssert.Contains(json, "\"end\":\"2026-11-23T18:00:00.123+00:00\"");
        Assert.IsFalse(json.Contains("isComplete", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Parse_VersionOneWithoutSplitFields_ReadsAsUnsplitWindows()
    {
        var json = Sample().ToJson().Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal)
            .Replace(",\"chainEnd\":null,\"splitOff\":false,\"splitAtPage\":0", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("splitOff", json);

        var parsed = ExportCheckpoint.Parse(json);

        Assert.AreEqual(1, parsed.Version);
        Assert.IsTrue(parsed.Windows.All(w => w.ChainEnd is null && !w.SplitOff));
    }

    [TestMethod]
    public void Parse_SplitWindowsOutOfTimeOrder_ReadsWhenContiguousAndRefusesAnOverlap()
    {
        var sample = Sample();
        var last = sample.Windows[^1];
        var middle = last.Start + ((last.End - last.Start) / 2);
        middle = Instants.TruncateToMillisecond(middle);
        var narrowed = last with { End = middle, ChainEnd = last.End };
        var rest = WindowCheckpoint.NotStarted(new UpdatedAtWindow(sample.Windows.Count, middle + Instants.Tick, last.End)) with { SplitOff = true };
        var split = sample with { Windows = [.. sample.Windows.SkipLast(1), narrowed, rest] };

        Assert.HasCount(sample.Windows.Count + 1, ExportCheckpoint.Parse(split.ToJson()).Windows);

        var overlapping = split with { Windows = [.. split.Windows.SkipLast(1), rest with { Start = middle }] };
        Assert.ThrowsExactly<FormatException>(() => ExportCheckpoint.Parse(overlapping.ToJson()));
    }

    [TestMethod]
    public void Totals_SumTheWindows()
    {
        var checkpoint = Sample();

        Assert.AreEqual(1234, checkpoint.Findings);
        Assert.AreEqual(3, checkpoint.Parts);
        Assert.IsFalse(checkpoint.IsComplete);
    }

    [TestMethod]
    [DataRow("not json")]
    [DataRow("{}")]
    [DataRow("""{"version":99,"exportId":"e","accountId":"123456789012","region":"us-east-1","end":"2026-11-23T18:00:00Z","filtersFingerprint":"x","windows":[]}""")]
    public void Parse_Invalid_ThrowsFormatException(string json)
    {
        var error = Assert.ThrowsExactly<FormatException>(() => ExportCheckpoint.Parse(json));

        StringAssert.Contains(error.Message, "Delete it");
    }

    [TestMethod]
    public void Parse_WindowsWithAGap_ThrowsFormatException()
    {
        var sample = Sample();
        var broken = sample with { Windows = [sample.Windows[0], sample.Windows[1] with { Start = sample.Windows[1].Start.AddMilliseconds(1) }, sample.Windows[2]] };

        Assert.ThrowsExactly<FormatException>(() => ExportCheckpoint.Parse(broken.ToJson()));
    }

    private static ExportCheckpoint Sample()
    {
        var plan = ExportPlan.Create(s_end, TimeSpan.FromDays(90), 2, 1.5);
        var windows = plan.Windows.Select(WindowCheckpoint.NotStarted).ToList();
        windows[0] = windows[0] with { Done = true, NextPartSeq = 2, PartSeqHighWater = 2, Findings = 1200, Pages = 12, Bytes = 5000 };
        windows[1] = windows[1] with { NextToken = "tok/+==", NextPartSeq = 1, PartSeqHighWater = 2, Findings = 34, Pages = 1, Bytes = 99 };
        return new ExportCheckpoint(ExportCheckpoint.CurrentVersion, "exp-1", "123456789012", "us-east-1", plan.End, "abcd", windows);
    }
}
