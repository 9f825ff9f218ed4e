using System.Globalization;
using System.Text.Json;
using SecHubFanout.Cli.Simulation;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// The child side of the memory-scaling phase (<c>bench memory-probe</c>, hidden): in a fresh process that holds nothing but the
/// runtime and the exporter, exports a simulated organization from an emulator that runs in the parent, into a temporary folder as
/// Parquet, sampling the heap all along; prints a <see cref="MemoryProbeReport"/> as one line of JSON.
/// </summary>
internal sealed class MemoryProbe
{
    /// <summary>The exporter's quota when the probe runs unpaced: high enough never to wait.</summary>
    public static readonly QuotaOptions Unpaced = new() { RequestsPerSecond = 100_000, Burst = 100_000 };

    private readonly Uri _endpoint;
    private readonly int _accounts;
    private readonly int _regions;
    private readonly bool _paced;
    private readonly TextWriter _out;

    public MemoryProbe(Uri endpoint, int accounts, int regions, bool paced, TextWriter output)
    {
        _endpoint = endpoint;
        _accounts = accounts;
        _regions = regions;
        _paced = paced;
        _out = output;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var accounts = SimulatedOrganization.AccountIds(_accounts);
        var regions = SimulatedOrganization.RegionNames.Take(_regions).ToList();
        var folder = Path.Combine(Path.GetTempPath(), "sechub-bench-memory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = _paced ? new ExportOptions() : new ExportOptions { Quota = Unpaced };
            var cpuAtStart = ProcessMeter.CpuTime();
            var sampler = HeapSampler.Start();
            AccountResult[] results;
            HeapMeasurement memory;
            TimeSpan cpu;
            await using (sampler.ConfigureAwait(false))
            {
                results = await SimulatedOrganization.ExportAsync(
                    _endpoint,
                    accounts,
                    regions,
                    "bench-memory",
                    new DirectoryPartSink(folder),
                    new ParquetPartFormat(),
                    options,
                    _ => null,
                    TimeProvider.System,
                    cancellationToken).ConfigureAwait(false);
                memory = await sampler.StopAsync().ConfigureAwait(false);
                cpu = ProcessMeter.CpuTime() - cpuAtStart;
            }

            const double Mb = 1024 * 1024;
            var report = new MemoryProbeReport
            {
                FindingsByRegion = results.SelectMany(a => a.Regions.Select(r => (Key: $"{a.AccountId}/{r.Region}", r.Findings))).ToDictionary(p => p.Key, p => p.Findings, StringComparer.Ordinal),
                Failures = [.. results.SelectMany(a => a.Regions.Where(r => r.Status != RegionStatus.Complete).Select(r => string.Create(CultureInfo.InvariantCulture, $"{a.AccountId}/{r.Region}: {r.Status}. {r.Reason}")))],
                Seconds = Math.Round(memory.Wall.TotalSeconds, 3),
                CpuSeconds = Math.Round(cpu.TotalSeconds, 3),
                PeakHeapMb = Math.Round(memory.PeakHeapAfterGc / Mb, 1),
                PeakHeapAfterGen2Mb = Math.Round(memory.PeakHeapAfterGen2 / Mb, 1),
                PeakLiveAtGen2Mb = Math.Round(memory.PeakLiveAtGen2 / Mb, 1),
                PeakCommittedMb = Math.Round(memory.PeakCommitted / Mb, 1),
                PeakWorkingSetMb = Math.Round(Math.Max(memory.PeakWorkingSet, memory.ProcessPeakWorkingSet) / Mb, 1),
                GcAvailableMb = Math.Round(memory.GcAvailableMemory / Mb, 1),
                AllocatedMb = Math.Round(memory.AllocatedBytes / Mb, 1),
                Gen0Collections = memory.Gen0Collections,
                Gen1Collections = memory.Gen1Collections,
                Gen2Collections = memory.Gen2Collections,
            };
            await _out.WriteLineAsync(JsonSerializer.Serialize(report, BenchJsonContext.Default.MemoryProbeReport)).ConfigureAwait(false);
            return report.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            BenchRun.TryDelete(folder);
        }
    }
}
