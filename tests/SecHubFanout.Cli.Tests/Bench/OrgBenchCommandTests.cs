using System.Text.Json;
using SecHubFanout.Cli.Tests.Analytics;

namespace SecHubFanout.Cli.Tests.Bench;

[TestClass]
public sealed class OrgBenchCommandTests
{
    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task BenchOrg_SmallOrganizationWithFaults_EndsRightAndReportsTheControlPlaneCost()
    {
        var result = await CliProcess.RunAsync("bench", "org", "--accounts", "600", "--regions", "2", "--latency-ms", "5", "--launcher-budget-seconds", "1", "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var json = JsonDocument.Parse(lines[^1]);
        var root = json.RootElement;
        Assert.AreEqual(600, root.GetProperty("accounts").GetInt32());
        Assert.AreEqual(2, root.GetProperty("regions").GetInt32());
        Assert.AreEqual(0, root.GetProperty("forged_accepted").GetInt64());
        Assert.IsGreaterThan(0, root.GetProperty("forged_events").GetInt64(), "the simulation forges events");
        Assert.AreEqual(0, root.GetProperty("pending_at_end").GetInt64());
        Assert.AreEqual(1, root.GetProperty("completion_emails").GetInt32());
        Assert.IsLessThanOrEqualTo(30, root.GetProperty("failure_emails").GetInt32());
        Assert.IsGreaterThanOrEqualTo(120, root.GetProperty("regions_failed").GetInt64(), "a fifth of the accounts have one Region denied");
        Assert.IsLessThanOrEqualTo(5.0, root.GetProperty("ledger_items_read_per_result").GetDouble());
        // 600 accounts spread over 3 shards (250 accounts each at most): no partition key holds half the items.
        Assert.IsLessThan(0.5, root.GetProperty("max_partition_share").GetDouble());
        Assert.AreEqual(root.GetProperty("findings_sent").GetInt64(), root.GetProperty("findings_in_ledger").GetInt64());
        Assert.IsGreaterThan(1, root.GetProperty("launcher_invocations").GetInt32(), "a one-second launcher budget hands on to continuations");
        Assert.IsGreaterThan(0L, root.GetProperty("manifest_bytes").GetInt64());
    }

    [TestMethod]
    public async Task BenchOrg_AccountsOutOfRange_ExitsTwoNamingTheOption()
    {
        var result = await CliProcess.RunAsync("bench", "org", "--accounts", "0");

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "--accounts 0 is out of range");
    }
}
