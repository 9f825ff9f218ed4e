using System.Net;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Protocol;

[TestClass]
public sealed class FaultInjectionTests
{
    [TestMethod]
    public async Task GetFindings_FaultRateOne_Answers500InternalExceptionAndCountsFaults()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 10, FaultRate = 1 });
        using var client = new SignedClient(emulator.Endpoint);

        var replies = new List<Reply>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await client.GetFindingsAsync(new { MaxResults = 5 }));
        }

        Assert.IsTrue(replies.All(r => r.Status == HttpStatusCode.InternalServerError && r.ErrorType == "InternalException"));
        Assert.AreEqual(3, emulator.Counters.For("000000000000", "us-east-1").Faults);
        Assert.AreEqual(0, emulator.Counters.Totals.Pages);
    }

    [TestMethod]
    public async Task GetFindings_DeniedRegion_Answers403AccessDeniedWhileOtherRegionsServe()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions { Regions = ["us-east-1", "eu-west-1"], DeniedRegions = ["eu-west-1"], FindingsPerRegion = 10 });
        using var client = new SignedClient(emulator.Endpoint);

        var denied = await client.GetFindingsAsync(new { MaxResults = 5 }, "eu-west-1");
        var served = await client.GetFindingsAsync(new { MaxResults = 5 }, "us-east-1");

        Assert.AreEqual(HttpStatusCode.Forbidden, denied.Status);
        Assert.AreEqual("AccessDeniedException", denied.ErrorType);
        StringAssert.Contains(denied.Text, "explicit deny in a service control policy");
        Assert.AreEqual(HttpStatusCode.OK, served.Status, served.Text);
    }

    [TestMethod]
    public async Task GetFindings_DropRateOne_AbortsTheConnectionAndCountsDrops()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 10, DropRate = 1 });
        using var client = new SignedClient(emulator.Endpoint);

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => client.GetFindingsAsync(new { MaxResults = 5 }));

        Assert.AreEqual(1, emulator.Counters.For("000000000000", "us-east-1").Drops);
    }

    [TestMethod]
    public async Task GetFindings_PartialRates_EveryRequestIsServedFaultedOrDropped()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 10, FaultRate = 0.3, DropRate = 0.2, GetFindingsRate = 10_000, GetFindingsBurst = 10_000 });
        using var client = new SignedClient(emulator.Endpoint);
        int ok = 0, faults = 0, drops = 0;

        for (var i = 0; i < 60; i++)
        {
            try
            {
                var reply = await client.GetFindingsAsync(new { MaxResults = 1 });
                if (reply.Status == HttpStatusCode.OK)
                {
                    ok++;
                }
                else if (reply.Status == HttpStatusCode.InternalServerError)
                {
                    faults++;
                }
            }
            catch (HttpRequestException)
            {
                drops++;
            }
        }

        var counters = emulator.Counters.For("000000000000", "us-east-1");
        Assert.AreEqual(60, ok + faults + drops);
        Assert.AreEqual(faults, counters.Faults);
        Assert.AreEqual(drops, counters.Drops);
        Assert.AreEqual(ok, counters.Pages);
        Assert.IsTrue(ok > 0 && faults > 0 && drops > 0, $"ok {ok}, faults {faults}, drops {drops}");
    }

    [TestMethod]
    public async Task GetFindings_WithLatency_AnswersOnlyAfterTheClockAdvances()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 10, Latency = TimeSpan.FromSeconds(5), TimeProvider = time });
        using var client = new SignedClient(emulator.Endpoint);

        var pending = client.GetFindingsAsync(new { MaxResults = 5 });
        while (emulator.Counters.Totals.Requests == 0)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);
        var answeredEarly = pending.IsCompleted;
        // The server may register its delay just after the request is counted: advance until it fires.
        for (var i = 0; i < 50 && !pending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(pending, Task.Delay(100));
        }

        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsFalse(answeredEarly, "answered before the latency passed");
        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
    }
}
