using SecHubFanout.Core.Export;

namespace SecHubFanout.Core.Tests.Export;

[TestClass]
public sealed class InFlightTargetTests
{
    [TestMethod]
    [DataRow(3.0, 0.0, 1)]
    [DataRow(3.0, 0.005, 2)]
    [DataRow(3.0, 0.7, 4)]
    [DataRow(3.0, 1.5, 7)]
    [DataRow(3.0, 10.0, 12)]
    public void For_KeepsRateTimesLatencyBusyWithAMargin(double rate, double seconds, int expected) =>
        Assert.AreEqual(expected, InFlightTarget.For(rate, seconds, ceiling: 12));

    [TestMethod]
    public void Current_StartsAtTheInitialCountThenFollowsTheAverageRoundTrip()
    {
        var target = new InFlightTarget(requestsPerSecond: 3, initial: 4, ceiling: 12);
        Assert.AreEqual(4, target.Current);

        target.Observe(TimeSpan.FromMilliseconds(1500));
        Assert.AreEqual(7, target.Current);

        for (var i = 0; i < 40; i++)
        {
            target.Observe(TimeSpan.FromMilliseconds(100));
        }

        Assert.AreEqual(2, target.Current);
    }
}
