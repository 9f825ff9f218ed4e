using System.Globalization;
using System.Text.Json;

namespace SecHubFanout.Cli.Bench;

/// <summary>Runs the benchmark once per latency and, for more than one, ends with the saturation curve as one table.</summary>
internal static class LatencySweep
{
    public static async Task<int> RunAsync(BenchSettings settings, IReadOnlyList<int> latencies, TextWriter output, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (latencies.Count == 0)
        {
            latencies = [0];
        }

        foreach (var latency in latencies)
        {
            (settings with { LatencyMs = latency }).Validate();
        }

        if (latencies.Count == 1)
        {
            return await new BenchRun(settings with { LatencyMs = latencies[0] }, output, timeProvider).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        // A sweep prints its JSON lines (one per latency, the same keys as a single run) after the table, so they stay the last lines.
        var exitCode = ExitCodes.Success;
        var reports = new List<BenchReport>();
        foreach (var latency in latencies)
        {
            var run = new BenchRun(settings with { LatencyMs = latency, Json = false }, output, timeProvider);
            var code = await run.RunAsync(cancellationToken).ConfigureAwait(false);
            exitCode = code != ExitCodes.Success ? code : exitCode;
            if (run.Result is { } report)
            {
                reports.Add(report);
            }
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(Table(reports)).ConfigureAwait(false);
        if (settings.Json)
        {
            foreach (var report in reports)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport)).ConfigureAwait(false);
            }
        }

        return exitCode;
    }

    /// <summary>One row per latency: saturation, speedup, requests, throttles, the slowest stream's unused quota time and CPU per finding.</summary>
    public static string Table(IEnumerable<BenchReport> reports)
    {
        var lines = new List<string>
        {
            "Saturation by latency",
            "  latency ms  saturation  findings/s  speedup  requests  throttles  quota unused s  CPU µs/finding (exporter)",
        };
        lines.AddRange(reports.Select(r => string.Create(
            CultureInfo.InvariantCulture,
            $"  {r.LatencyMs,10}  {r.Saturation,10:F3}  {r.FanoutFindingsPerS,10:F0}  {r.Speedup,7:F2}  {r.Requests,8}  {r.Throttles,9}  {r.QuotaUnusedSeconds ?? 0,14:F2}  {r.CpuUsPerFinding,5:F0} ({r.ExporterCpuUsPerFinding:F0})")));
        return string.Join(Environment.NewLine, lines);
    }
}
