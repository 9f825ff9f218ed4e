using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Tests.Planning;

[TestClass]
public sealed class ExportPlanTests
{
    private static readonly DateTimeOffset s_end = new(2026, 11, 23, 18, 0, 0, 123, TimeSpan.Zero);
    private static readonly TimeSpan s_ninetyDays = TimeSpan.FromDays(90);

    [TestMethod]
    public void Create_Defaults_CoversEpochToEndWithoutGapOrOverlap()
    {
        var plan = ExportPlan.Create(s_end, s_ninetyDays, 16, 1.5);

        Assert.HasCount(17, plan.Windows);
        Assert.AreEqual(ExportPlan.Epoch, plan.Windows[0].Start);
        Assert.AreEqual(s_end, plan.Windows[^1].End);
        Assert.AreEqual(s_end - s_ninetyDays, plan.Windows[1].Start);
        AssertContiguous(plan);
    }

    [TestMethod]
    public void Create_EndWithSubMillisecondTicks_TruncatesToTheMillisecond()
    {
        var end = s_end.AddTicks(9_999);

        var plan = ExportPlan.Create(end, s_ninetyDays, 4, 1);

        Assert.AreEqual(s_end, plan.End);
        Assert.AreEqual(s_end, plan.Windows[^1].End);
    }

    [TestMethod]
    public void Create_Growth_RecentWindowsShrinkTowardsTheEnd()
    {
        var plan = ExportPlan.Create(s_end, s_ninetyDays, 16, 1.5);

        var lengths = plan.Windows.Skip(1).Select(w => w.End - w.Start).ToList();

        for (var i = 1; i < lengths.Count; i++)
        {
            Assert.IsLessThan(lengths[i - 1], lengths[i], $"window {i + 1} should be shorter than window {i}");
        }

        Assert.IsLessThan(TimeSpan.FromHours(3), lengths[^1]);
    }

    [TestMethod]
    public void Create_GrowthOne_SplitsEvenlyToTheMillisecond()
    {
        var plan = ExportPlan.Create(s_end, TimeSpan.FromMilliseconds(100), 4, 1);

        var lengths = plan.Windows.Skip(1).Select(w => (int)(w.End - w.Start).TotalMilliseconds + 1).ToList();

        CollectionAssert.AreEqual(new[] { 25, 25, 25, 26 }, lengths);
    }

    [TestMethod]
    public void Windows_EveryInstantAroundEveryEdge_FallsInExactlyOneWindow()
    {
        var plan = ExportPlan.Create(s_end, s_ninetyDays, 16, 1.5);
        var probes = plan.Windows
            .SelectMany(w => new[] { w.Start - Instants.Tick, w.Start, w.Start + Instants.Tick, w.End - Instants.Tick, w.End, w.End + Instants.Tick })
            .Where(t => t >= ExportPlan.Epoch && t <= s_end)
            .Distinct()
            .ToList();

        foreach (var probe in probes)
        {
            Assert.AreEqual(1, plan.Windows.Count(w => w.Contains(probe)), $"instant {probe:O}");
        }

        Assert.IsFalse(plan.Windows.Any(w => w.Contains(s_end + Instants.Tick)));
    }

    [TestMethod]
    public void Create_SinceInsideRecentSpan_SplitsOnlyFromSince()
    {
        var since = s_end - TimeSpan.FromDays(1);

        var plan = ExportPlan.Create(s_end, s_ninetyDays, 8, 1.5, since);

        Assert.HasCount(8, plan.Windows);
        Assert.AreEqual(since, plan.Windows[0].Start);
        Assert.AreEqual(s_end, plan.Windows[^1].End);
        AssertContiguous(plan);
    }

    [TestMethod]
    public void Create_SinceBeforeRecentSpan_OldWindowStartsAtSince()
    {
        var since = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var plan = ExportPlan.Create(s_end, s_ninetyDays, 8, 1.5, since);

        Assert.HasCount(9, plan.Windows);
        Assert.AreEqual(since, plan.Windows[0].Start);
        Assert.AreEqual(s_end - s_ninetyDays - Instants.Tick, plan.Windows[0].End);
        AssertContiguous(plan);
    }

    [TestMethod]
    public void Create_SinceEqualsEnd_OneMillisecondWindow()
    {
        var plan = ExportPlan.Create(s_end, s_ninetyDays, 8, 1.5, s_end);

        Assert.HasCount(1, plan.Windows);
        Assert.AreEqual(new UpdatedAtWindow(0, s_end, s_end), plan.Windows[0]);
    }

    [TestMethod]
    public void Create_SpanShorterThanWindowCount_DropsEmptyWindowsAndStaysContiguous()
    {
        var plan = ExportPlan.Create(s_end, TimeSpan.FromMilliseconds(3), 16, 1.5);

        Assert.IsLessThanOrEqualTo(5, plan.Windows.Count);
        AssertContiguous(plan);
    }

    [TestMethod]
    public void Create_SinceAfterEnd_ThrowsSayingSo()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ExportPlan.Create(s_end, s_ninetyDays, 8, 1.5, s_end.AddDays(1)));

        StringAssert.Contains(error.Message, "The since instant");
    }

    [TestMethod]
    public void FromWindows_Gap_Throws()
    {
        var windows = new[] { new UpdatedAtWindow(0, ExportPlan.Epoch, s_end.AddDays(-1)), new UpdatedAtWindow(1, s_end.AddDays(-1).AddMilliseconds(2), s_end) };

        Assert.ThrowsExactly<ArgumentException>(() => ExportPlan.FromWindows(s_end, windows));
    }

    [TestMethod]
    public void FromWindows_SharedInstant_Throws()
    {
        var windows = new[] { new UpdatedAtWindow(0, ExportPlan.Epoch, s_end.AddDays(-1)), new UpdatedAtWindow(1, s_end.AddDays(-1), s_end) };

        Assert.ThrowsExactly<ArgumentException>(() => ExportPlan.FromWindows(s_end, windows));
    }

    [TestMethod]
    public void FromWindows_PlannedWindows_RoundTrip()
    {
        var plan = ExportPlan.Create(s_end, s_ninetyDays, 16, 1.5);

        var rebuilt = ExportPlan.FromWindows(plan.End, plan.Windows);

        CollectionAssert.AreEqual(plan.Windows.ToList(), rebuilt.Windows.ToList());
    }

    private static void AssertContiguous(ExportPlan plan)
    {
        for (var k = 0; k < plan.Windows.Count; k++)
        {
            Assert.AreEqual(k, plan.Windows[k].Index);
            Assert.IsLessThanOrEqualTo(plan.Windows[k].End, plan.Windows[k].Start);
            if (k > 0)
            {
                Assert.AreEqual(plan.Windows[k - 1].End + Instants.Tick, plan.Windows[k].Start, $"window {k} must start 1 ms after window {k - 1} ends");
            }
        }

        Assert.AreEqual(plan.End, plan.Windows[^1].End);
    }
}
