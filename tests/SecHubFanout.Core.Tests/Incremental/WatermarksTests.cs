using SecHubFanout.Core.Incremental;

namespace SecHubFanout.Core.Tests.Incremental;

[TestClass]
public sealed class WatermarksTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 2, 19, 30, 25, 123, TimeSpan.Zero);

    [TestMethod]
    public void SinceFor_RegionWithWatermark_WatermarkMinusOverlapToTheMillisecond()
    {
        var watermarks = Watermarks.None.Advance(["eu-west-1"], End.AddTicks(4567));

        var since = watermarks.SinceFor("eu-west-1", TimeSpan.FromMinutes(15), End.AddDays(1));
        var noOverlap = watermarks.SinceFor("eu-west-1", TimeSpan.Zero, End.AddDays(1));

        Assert.AreEqual(End - TimeSpan.FromMinutes(15), since);
        Assert.AreEqual(End, noOverlap, "both bounds are inclusive: a finding exactly on the previous end is taken again");
        Assert.IsNull(watermarks.SinceFor("us-east-1", TimeSpan.FromMinutes(15), End), "no watermark: a full export");
    }

    [TestMethod]
    public void SinceFor_WatermarkAfterTheNewEnd_ClampedToTheEnd()
    {
        var watermarks = Watermarks.None.Advance(["eu-west-1"], End);

        Assert.AreEqual(End - TimeSpan.FromHours(1), watermarks.SinceFor("eu-west-1", TimeSpan.Zero, End - TimeSpan.FromHours(1)));
    }

    [TestMethod]
    public void Advance_OlderEndOrOtherRegions_NeverMovesBackAndLeavesOthers()
    {
        var watermarks = Watermarks.None.Advance(["eu-west-1", "us-east-1"], End);

        var next = watermarks.Advance(["eu-west-1"], End.AddDays(1)).Advance(["eu-west-1"], End);

        Assert.AreEqual(End.AddDays(1), next.Of("eu-west-1"));
        Assert.AreEqual(End, next.Of("us-east-1"), "a Region that did not complete keeps its watermark");
        Assert.AreEqual(End, watermarks.Of("eu-west-1"), "immutable");
    }

    [TestMethod]
    public void EarliestSince_OneRegionWithoutWatermark_NullElseTheEarliest()
    {
        var watermarks = Watermarks.None.Advance(["eu-west-1"], End).Advance(["us-east-1"], End.AddDays(1));

        Assert.AreEqual(End - TimeSpan.FromMinutes(5), watermarks.EarliestSince(["us-east-1", "eu-west-1"], TimeSpan.FromMinutes(5), End.AddDays(2)));
        Assert.IsNull(watermarks.EarliestSince(["us-east-1", "ap-south-1"], TimeSpan.FromMinutes(5), End.AddDays(2)));
    }

    [TestMethod]
    [DataRow("15m", 900)]
    [DataRow("90s", 90)]
    [DataRow("1h", 3600)]
    [DataRow("0", 0)]
    public void Parse_OverlapText_ReadsIt(string text, int seconds)
    {
        var overlap = OverlapText.Parse(text);

        Assert.AreEqual(TimeSpan.FromSeconds(seconds), overlap);
        Assert.AreEqual(overlap, OverlapText.Parse(OverlapText.Format(overlap)));
    }

    [TestMethod]
    [DataRow("15", "no unit")]
    [DataRow("15 minutes", "is not an overlap")]
    [DataRow("-5m", "is not an overlap")]
    [DataRow("25h", "longer than a day")]
    public void Parse_BadOverlap_SaysWhatToWrite(string text, string named)
    {
        var e = Assert.ThrowsExactly<FormatException>(() => OverlapText.Parse(text));

        StringAssert.Contains(e.Message, named);
    }
}
