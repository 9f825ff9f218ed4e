using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Fidelity;

/// <summary>
/// The documented GetFindings quota (3 req/s, burst 6), and the same assumed for GetFindingsV2, as AWS's JavaScript SDK meets it
/// with retries off: TooManyRequestsException for GetFindings, ThrottlingException (its own modeled error) for GetFindingsV2.
/// </summary>
[TestClass]
public sealed class JavaScriptSdkThrottlingTests
{
    [TestMethod]
    [DataRow("errors.mjs", DisplayName = "GetFindings: TooManyRequestsException")]
    [DataRow("errors-v2.mjs", DisplayName = "GetFindingsV2: ThrottlingException")]
    public async Task GetFindings_MoreThanTheBurstAtOnce_ThrowsTheApisThrottlingException(string script)
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { FindingsPerRegion = 10 });

        var result = await NodeScript.RunAsync(script, new { endpoint = emulator.Endpoint.ToString(), scenario = "throttle", requests = 20 });

        var ok = result.GetProperty("ok").GetInt32();
        var throttled = result.GetProperty("throttled").GetInt32();
        Assert.AreEqual(0, result.GetProperty("other").GetArrayLength(), result.ToString());
        Assert.AreEqual(20, ok + throttled);
        // The burst of 6 gets through; refill at 3/s adds a few more while the 20 arrive on a busy machine.
        Assert.IsGreaterThanOrEqualTo(6, ok, result.ToString());
        Assert.IsGreaterThanOrEqualTo(1, throttled, result.ToString());
        var counters = emulator.Counters.For("000000000000", "us-east-1");
        Assert.AreEqual(throttled, counters.Throttles);
        Assert.AreEqual(20, counters.Requests);
        Assert.AreEqual(ok, counters.Pages);
    }
}
