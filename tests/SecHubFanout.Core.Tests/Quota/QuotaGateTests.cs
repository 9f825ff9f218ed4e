using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Core.Quota;

namespace SecHubFanout.Core.Tests.Quota;

[TestClass]
public sealed class QuotaGateTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1.0 / 3);

    [TestMethod]
    public void TryAcquire_FullBucket_AllowsBurstThenRefuses()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions(), time);

        var granted = Enumerable.Range(0, 10).Count(_ => gate.TryAcquire());

        Assert.AreEqual(6, granted);
    }

    [TestMethod]
    public void TryAcquire_AfterBurst_GrantsThreePerSecond()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions(), time);
        Drain(gate);

        var perSecond = new List<int>();
        for (var second = 0; second < 4; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            perSecond.Add(Drain(gate));
        }

        CollectionAssert.AreEqual(new[] { 3, 3, 3, 3 }, perSecond);
    }

    [TestMethod]
    public void TryAcquire_LongQuietSpell_RefillsOnlyToBurst()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions(), time);
        Drain(gate);

        time.Advance(TimeSpan.FromSeconds(60));

        Assert.AreEqual(6, Drain(gate));
    }

    [TestMethod]
    public async Task AcquireAsync_EmptyBucket_WaitsForTheNextTick()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions(), time);
        Drain(gate);

        var waiting = gate.AcquireAsync(CancellationToken.None).AsTask();
        var beforeTick = waiting.IsCompleted;
        time.Advance(s_tick);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsFalse(beforeTick);
        Assert.IsTrue(waiting.IsCompletedSuccessfully);
    }

    [TestMethod]
    public async Task AcquireAsync_Cancelled_ThrowsOperationCanceled()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions(), time);
        Drain(gate);
        using var cts = new CancellationTokenSource();

        var waiting = gate.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting);
    }

    [TestMethod]
    public void ReportThrottle_FullBucket_DropsSavedTokens()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions(), time);

        gate.ReportThrottle();

        Assert.IsFalse(gate.TryAcquire());
        Assert.AreEqual(1, gate.Throttles);
    }

    [TestMethod]
    public void ReportThrottle_PausesForThePauseThenRecoversTheRate()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions { ThrottlePause = TimeSpan.FromSeconds(1.5) }, time);
        Drain(gate);

        // Ticks every 1/3 s: the pause covers the ticks up to 1.33 s; the tick at 1.67 s is the first after it.
        gate.ReportThrottle();
        Step(time, TimeSpan.FromSeconds(1.4));
        var duringPause = Drain(gate);
        Step(time, TimeSpan.FromSeconds(0.3));
        var firstTickAfter = Drain(gate);
        Step(time, TimeSpan.FromSeconds(1));
        var secondAfter = Drain(gate);

        Assert.AreEqual(0, duringPause);
        Assert.AreEqual(1, firstTickAfter);
        Assert.AreEqual(3, secondAfter);
    }

    [TestMethod]
    public void ReportThrottle_RepeatedThrottles_ExtendThePause()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions { ThrottlePause = TimeSpan.FromSeconds(1) }, time);
        Drain(gate);

        gate.ReportThrottle();
        Step(time, TimeSpan.FromSeconds(0.9));
        gate.ReportThrottle();
        Step(time, TimeSpan.FromSeconds(0.9));
        var stillPaused = Drain(gate);
        Step(time, TimeSpan.FromSeconds(1));

        Assert.AreEqual(0, stillPaused);
        Assert.IsGreaterThan(0, Drain(gate));
    }

    [TestMethod]
    public void TryAcquire_HighRate_AddsSeveralTokensPerTick()
    {
        var time = new FakeTimeProvider();
        using var gate = new QuotaGate(new QuotaOptions { RequestsPerSecond = 1000, Burst = 5000 }, time);
        Drain(gate);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.AreEqual(1000, Drain(gate));
    }

    [TestMethod]
    public void Constructor_NonPositiveRate_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new QuotaGate(new QuotaOptions { RequestsPerSecond = 0 }, new FakeTimeProvider()));
    }

    // Timers see the clock at the end of an Advance, so a pause boundary is only exact when time moves in small steps.
    private static void Step(FakeTimeProvider time, TimeSpan total)
    {
        var step = TimeSpan.FromMilliseconds(10);
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            time.Advance(total - moved < step ? total - moved : step);
        }
    }

    private static int Drain(QuotaGate gate)
    {
        var count = 0;
        while (gate.TryAcquire())
        {
            count++;
        }

        return count;
    }
}
