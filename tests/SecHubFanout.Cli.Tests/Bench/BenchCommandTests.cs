using System.Text.Json;
using SecHubFanout.Cli.Tests.Analytics;

namespace SecHubFanout.Cli.Tests.Bench;

[TestClass]
public sealed class BenchCommandTests
{
    private static readonly string[] NumberFields =
    [
        "fanout_findings_per_s", "baseline_findings_per_s", "speedup", "ideal_speedup", "saturation", "cpu_us_per_finding",
        "emulator_cpu_us_per_finding", "exporter_cpu_us_per_finding", "peak_working_set_mb", "fanout_peak_working_set_mb",
        "accounts", "regions", "findings_per_region", "latency_ms", "cores", "fanout_findings", "requests",
    ];

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Bench_TinyOrganizationWithJson_LastLineHoldsConsistentFigures()
    {
        var result = await CliProcess.RunAsync("bench", "--accounts", "2", "--regions", "1", "--findings-per-region", "200", "--baseline-pages", "2", "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        StringAssert.Contains(result.Stdout, "baseline (1 admin stream)");
        using var json = JsonDocument.Parse(lines[^1]);
        var root = json.RootElement;
        foreach (var field in NumberFields)
        {
            Assert.IsTrue(root.TryGetProperty(field, out var value), $"{field} is missing from {lines[^1]}");
            Assert.AreEqual(JsonValueKind.Number, value.ValueKind, $"{field} is not a number");
        }

        var fanout = root.GetProperty("fanout_findings_per_s").GetDouble();
        var baseline = root.GetProperty("baseline_findings_per_s").GetDouble();
        Assert.IsGreaterThan(0, fanout);
        Assert.IsGreaterThan(0, baseline);
        Assert.AreEqual(fanout / baseline, root.GetProperty("speedup").GetDouble(), 0.01 * fanout / baseline);
        Assert.AreEqual(2, root.GetProperty("ideal_speedup").GetInt32());
        Assert.AreEqual(400, root.GetProperty("fanout_findings").GetInt64());
        var saturation = root.GetProperty("saturation").GetDouble();
        Assert.IsTrue(saturation is > 0 and <= 1.5, $"saturation {saturation}");
        Assert.AreEqual(fanout / 600, saturation, 0.001);
        Assert.IsGreaterThan(0, root.GetProperty("cpu_us_per_finding").GetDouble());
        Assert.IsGreaterThan(0, root.GetProperty("peak_working_set_mb").GetDouble());
        // The sampled working set and the kernel's high-water mark come from different /proc readings: equal within a few MB.
        var fanoutPeak = root.GetProperty("fanout_peak_working_set_mb").GetDouble();
        Assert.IsGreaterThan(0, fanoutPeak);
        Assert.IsLessThanOrEqualTo(root.GetProperty("peak_working_set_mb").GetDouble() * 1.02 + 1, fanoutPeak);
        Assert.AreEqual(Environment.ProcessorCount, root.GetProperty("cores").GetInt32());
        Assert.IsFalse(root.TryGetProperty("scaling_factor", out _), "no memory-scaling figures without --memory-scaling");
        StringAssert.Contains(result.Stdout, "where the time went: wall ");
        var requests = root.GetProperty("slowest_stream_requests").GetInt64();
        Assert.IsTrue(requests is >= 2 and <= 10, $"the slowest stream sent {requests} calls for 200 findings in pages of 100");
        Assert.IsGreaterThanOrEqualTo(0, root.GetProperty("quota_unused_seconds").GetDouble());
        Assert.IsGreaterThanOrEqualTo(0, root.GetProperty("start_up_seconds").GetDouble());
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Bench_ApiV2_PagesGetFindingsV2AndPrintsTheSameJsonKeysAsV1()
    {
        string[] tiny = ["bench", "--accounts", "2", "--regions", "1", "--findings-per-region", "150", "--baseline-pages", "1", "--json"];

        var v1 = await CliProcess.RunAsync(tiny);
        var v2 = await CliProcess.RunAsync([.. tiny, "--api", "v2"]);

        Assert.AreEqual(0, v1.ExitCode, v1.Stdout + v1.Stderr);
        Assert.AreEqual(0, v2.ExitCode, v2.Stdout + v2.Stderr);
        StringAssert.Contains(v2.Stdout, "GetFindingsV2 ");
        using var j1 = JsonDocument.Parse(v1.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
        using var j2 = JsonDocument.Parse(v2.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
        CollectionAssert.AreEqual(j1.RootElement.EnumerateObject().Select(p => p.Name).ToList(), j2.RootElement.EnumerateObject().Select(p => p.Name).ToList());
        Assert.AreEqual(300, j2.RootElement.GetProperty("fanout_findings").GetInt64(), "every OCSF finding of both streams exported");
        Assert.IsGreaterThan(0, j2.RootElement.GetProperty("baseline_findings_per_s").GetDouble());
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Bench_LatencySweep_RunsOncePerLatencyAndEndsWithTheTableAndOneJsonLineEach()
    {
        var result = await CliProcess.RunAsync(
            "bench", "--accounts", "1", "--regions", "1", "--findings-per-region", "150", "--baseline-pages", "1", "--latency-ms", "0", "40", "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stdout, "Saturation by latency");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rows = lines.SkipWhile(l => l != "Saturation by latency").Skip(2).TakeWhile(l => !l.StartsWith('{')).ToList();
        Assert.HasCount(2, rows);
        StringAssert.StartsWith(rows[0], "0 ");
        StringAssert.StartsWith(rows[1], "40 ");
        var reports = lines[^2..].Select(l => JsonDocument.Parse(l)).ToList();
        Assert.AreEqual(0, reports[0].RootElement.GetProperty("latency_ms").GetInt32());
        Assert.AreEqual(40, reports[1].RootElement.GetProperty("latency_ms").GetInt32());
        Assert.IsTrue(reports.All(r => r.RootElement.GetProperty("fanout_findings").GetInt64() == 150));
        reports.ForEach(r => r.Dispose());
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Bench_MemoryScaling_BothSizesExportExactlyTheirFindingsAndReportMemory()
    {
        var result = await CliProcess.RunAsync(
            "bench", "--accounts", "1", "--regions", "2", "--findings-per-region", "100", "--baseline-pages", "1",
            "--memory-scaling", "3", "--memory-scaling-findings", "150", "--memory-scaling-heap-limit-mb", "256", "--json");

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stdout, "memory scaling");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var json = JsonDocument.Parse(lines[^1]);
        var root = json.RootElement;
        Assert.AreEqual(3, root.GetProperty("scaling_factor").GetInt32());
        Assert.IsFalse(root.GetProperty("scaling_paced").GetBoolean());
        Assert.AreEqual(150, root.GetProperty("scaling_findings_per_region_1x").GetInt32());
        Assert.AreEqual(450, root.GetProperty("scaling_findings_per_region_nx").GetInt32());
        Assert.AreEqual(2 * 150, root.GetProperty("scaling_findings_1x").GetInt64());
        Assert.AreEqual(2 * 450, root.GetProperty("scaling_findings_nx").GetInt64());

        // The heap limit reaches the child processes only: their GC reports it as the memory it may use.
        Assert.AreEqual(256, root.GetProperty("scaling_gc_available_mb").GetDouble(), 1);
        foreach (var size in new[] { "1x", "nx" })
        {
            foreach (var figure in new[] { "scaling_peak_heap_mb", "scaling_peak_committed_mb", "scaling_peak_working_set_mb" })
            {
                Assert.IsGreaterThan(0, root.GetProperty($"{figure}_{size}").GetDouble(), $"{figure}_{size}");
            }
        }

        var ratio = root.GetProperty("memory_growth_ratio").GetDouble();
        Assert.AreEqual(root.GetProperty("scaling_peak_working_set_mb_nx").GetDouble() / root.GetProperty("scaling_peak_working_set_mb_1x").GetDouble(), ratio, 0.01);
        Assert.AreEqual(JsonValueKind.Number, root.GetProperty("heap_growth_ratio").ValueKind);
    }

    [TestMethod]
    [DataRow("bench", "--accounts", "0")]
    [DataRow("bench", "--regions", "9")]
    [DataRow("bench", "--findings-per-region", "0")]
    [DataRow("bench", "--latency-ms", "-1")]
    [DataRow("bench", "--baseline-pages", "0")]
    [DataRow("bench", "--memory-scaling", "1")]
    [DataRow("bench", "--findings-per-region", "300000", "--memory-scaling", "10")]
    [DataRow("bench", "--memory-scaling", "10", "--memory-scaling-heap-limit-mb", "16")]
    [DataRow("bench", "--memory-scaling", "10", "--memory-scaling-findings", "300000")]
    public async Task RunAsync_BenchWithOptionOutOfRange_ExitsWithUsage(params string[] args)
    {
        var exit = await CliApp.RunAsync(args);

        Assert.AreEqual(ExitCodes.Usage, exit);
    }
}
