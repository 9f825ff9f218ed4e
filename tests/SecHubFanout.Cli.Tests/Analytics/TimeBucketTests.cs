using SecHubFanout.Cli.Analytics;

namespace SecHubFanout.Cli.Tests.Analytics;

[TestClass]
public sealed class TimeBucketTests
{
    private static readonly DateTime Start = new(2026, 8, 5, 13, 20, 0, DateTimeKind.Utc); // a Wednesday

    [TestMethod]
    [DataRow(0.5, "hour")]
    [DataRow(3.0, "hour")]
    [DataRow(3.5, "day")]
    [DataRow(92.0, "day")]
    [DataRow(120.0, "week")]
    [DataRow(700.0, "week")]
    public void For_Range_PicksTheStepThatShowsATrend(double days, string unit) =>
        Assert.AreEqual(unit, TimeBucket.For(Start, Start.AddDays(days)).Unit);

    [TestMethod]
    public void Truncate_Week_StartsOnMondayLikeDateTrunc()
    {
        Assert.AreEqual(new DateTime(2026, 8, 3), TimeBucket.Week.Truncate(Start));
        Assert.AreEqual(new DateTime(2026, 8, 3), TimeBucket.Week.Truncate(new DateTime(2026, 8, 3)));
        Assert.AreEqual(new DateTime(2026, 8, 3), TimeBucket.Week.Truncate(new DateTime(2026, 8, 9, 23, 59, 59)));
        Assert.AreEqual(new DateTime(2026, 8, 5), TimeBucket.Day.Truncate(Start));
        Assert.AreEqual(new DateTime(2026, 8, 5, 13, 0, 0), TimeBucket.Hour.Truncate(Start));
    }

    [TestMethod]
    public void Span_QuietBucketsInBetween_AreListed()
    {
        var weeks = TimeBucket.Week.Span(new DateTime(2026, 8, 3), new DateTime(2026, 8, 31));

        CollectionAssert.AreEqual(new[] { 3, 10, 17, 24, 31 }, weeks.Select(w => w.Day).ToArray());
    }
}
