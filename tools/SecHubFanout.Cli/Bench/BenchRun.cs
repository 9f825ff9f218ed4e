using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Amazon.Runtime;
using SecHubFanout.Aws;
using SecHubFanout.Cli.Exporting;
using SecHubFanout.Cli.Simulation;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// One run of <c>bench</c>, in one process: the single-administrator baseline (one sequential GetFindings stream under one quota,
/// a bounded sample), a calibration of the emulator's own CPU cost, then the fan-out (A x R streams through the engine), each
/// against the in-process emulator with the real quotas and into a temporary folder as real Parquet (deleted afterwards).
/// </summary>
internal sealed class BenchRun
{

    // The delegated administrator: not one of the simulated members, so its quota is its own.
    private const string AdministratorAccount = "111111111100";
    private const int CalibrationPages = 300;
    private const int WarmUpFindings = 12_000;
    private static readonly TimeSpan IdleSample = TimeSpan.FromSeconds(3);

    // The administrator stream holds the organization's findings, up to this many: a stream's rate does not depend on how many follow.
    private const int MaxBaselineStreamFindings = 2_000_000;

    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;
    private readonly BenchSettings _settings;
    private readonly TextWriter _out;
    private readonly TimeProvider _timeProvider;

    public BenchRun(BenchSettings settings, TextWriter output, TimeProvider timeProvider)
    {
        _settings = settings;
        _out = output;
        _timeProvider = timeProvider;
    }

    /// <summary>The figures of the finished run (null before it finished).</summary>
    public BenchReport? Result { get; private set; }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _settings.Validate();
        var accounts = SimulatedOrganization.AccountIds(_settings.Accounts);
        var regions = SimulatedOrganization.RegionNames.Take(_settings.Regions).ToList();
        var startedAt = _timeProvider.GetUtcNow();
        var load = LoadAverage();
        var streams = accounts.Count * regions.Count;
        await WriteAsync(
            $"Benchmark: {accounts.Count} accounts x {regions.Count} Regions x {_settings.FindingsPerRegion:N0} findings, latency {_settings.LatencyMs} ms, " +
            $"{_settings.Api.Operation()} {new QuotaOptions().RequestsPerSecond:0.#} req/s (burst {new QuotaOptions().Burst}) per account-Region").ConfigureAwait(false);
        await WriteAsync($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.FrameworkDescription}, load average {load:0.0} (1 min) at start").ConfigureAwait(false);

        var phases = _settings.MemoryScalingFactor > 0 ? 4 : 3;
        var root = Path.Combine(Path.GetTempPath(), "sechub-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await WriteAsync($"1/{phases} baseline: one administrator stream, sequential NextToken paging, {_settings.BaselinePages} pages after the burst ...").ConfigureAwait(false);
            var baseline = await MeasureBaselineAsync(Path.Combine(root, "baseline"), regions[0], cancellationToken).ConfigureAwait(false);

            await WriteAsync($"2/{phases} calibration: the emulator's own CPU per finding served ({CalibrationPages} pages, quota off), then a warm-up export of {WarmUpFindings:N0} findings (quota off, not timed) ...").ConfigureAwait(false);
            var emulatorCpu = await EmulatorCalibration.MeasureCpuPerFindingAsync(AdministratorAccount, regions[0], CalibrationPages, _settings.Api, _timeProvider, cancellationToken).ConfigureAwait(false);
            await WarmUpAsync(Path.Combine(root, "warm-up"), regions[0], cancellationToken).ConfigureAwait(false);

            await WriteAsync($"3/{phases} fan-out: {streams} account-Region streams in parallel through the engine ...").ConfigureAwait(false);
            var fanout = await MeasureFanoutAsync(Path.Combine(root, "fanout"), accounts, regions, cancellationToken).ConfigureAwait(false);

            var problems = new List<string>(fanout.Problems);
            (ScalingSample Small, ScalingSample Large)? scaling = null;
            if (_settings.MemoryScalingFactor > 0)
            {
                var small = _settings.MemoryScalingBase;
                var large = small * _settings.MemoryScalingFactor;
                var limit = _settings.MemoryScalingHeapLimitMb > 0 ? $", heap limit {_settings.MemoryScalingHeapLimitMb} MiB" : string.Empty;
                await WriteAsync(
                    $"4/4 memory scaling: the same export at {small:N0} and {large:N0} findings per Region, each in a fresh child process " +
                    $"({(_settings.MemoryScalingPaced ? "real quota" : "quota off")}{limit}) ...").ConfigureAwait(false);
                var meter = new MemoryScaling(_settings, _timeProvider);
                var smallSample = await meter.MeasureAsync(small, cancellationToken).ConfigureAwait(false);
                var largeSample = await meter.MeasureAsync(large, cancellationToken).ConfigureAwait(false);
                problems.AddRange(smallSample.Problems);
                problems.AddRange(largeSample.Problems);
                scaling = (smallSample, largeSample);
            }

            var report = Report(startedAt, load, baseline, emulatorCpu, fanout, scaling);
            Result = report;
            await PrintAsync(report, problems, fanout.Breakdown).ConfigureAwait(false);
            if (_settings.Json)
            {
                await _out.WriteLineAsync(JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport)).ConfigureAwait(false);
            }

            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            TryDelete(root);
        }
    }

    // Every phase pages the chosen API: no filter beyond the export's own windows, Parquet of that API's table.
    private FindingFilters Filters => FindingFilters.NoneFor(_settings.Api);

    private IPartFormat Format => PartFormats.Get("parquet", _settings.Api);

    private async Task<BaselineResult> MeasureBaselineAsync(string folder, string region, CancellationToken cancellationToken)
    {
        var findings = (int)Math.Min((long)_settings.Accounts * _settings.Regions * _settings.FindingsPerRegion, MaxBaselineStreamFindings);
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions
            {
                Accounts = [AdministratorAccount],
                Regions = [region],
                FindingsPerRegion = findings,
                Latency = TimeSpan.FromMilliseconds(_settings.LatencyMs),
                TimeProvider = _timeProvider,
            },
            cancellationToken).ConfigureAwait(false);
        using var clients = AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials(AdministratorAccount, "test"),
            EndpointUrl = emulator.Endpoint,
            Region = region,
            AccountId = AdministratorAccount,
            TimeProvider = _timeProvider,
        });

        // The single-account approach: one window reaching back to 1970, paged by one worker, so one NextToken chain.
        var options = new ExportOptions { RecentSpan = TimeSpan.FromDays(100 * 365), RecentWindows = 1, WindowConcurrency = 1 };
        var exporter = new RegionExporter(clients.CreateFindingSource(), new DirectoryPartSink(folder), Format, options, _timeProvider);
        // The timing starts at the first page the gate paced (the one after the burst), so every timed interval is a paced one.
        var firstPaced = options.Quota.Burst + 1;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new BaselineProgress(firstPaced + _settings.BaselinePages, stop);
        try
        {
            var result = await exporter.ExportAsync(
                new ExportRequest { ExportId = "bench-baseline", AccountId = AdministratorAccount, Filters = Filters },
                region,
                resume: null,
                new ExportCallbacks { Progress = progress },
                stop.Token).ConfigureAwait(false);
            if (result.Status != RegionStatus.Complete)
            {
                throw new InvalidOperationException($"The baseline stream ended {result.Status}: {result.Reason}");
            }
        }
        catch (OperationCanceledException) when (progress.Reached && !cancellationToken.IsCancellationRequested)
        {
            // The sample is complete: the rest of the stream would only take longer at the same rate.
        }

        var (sampled, pages, elapsed) = progress.Measure(firstPaced);
        return new BaselineResult(sampled, pages, elapsed);
    }

    /// <summary>
    /// Runs every exporter code path once (paging, encoding, sealing, storing) with the quota off, so that JIT compilation and tiering,
    /// a one-off cost per process (per Lambda container), do not count as the fan-out's CPU per finding.
    /// </summary>
    private async Task WarmUpAsync(string folder, string region, CancellationToken cancellationToken)
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions
            {
                Accounts = [AdministratorAccount],
                Regions = [region],
                FindingsPerRegion = WarmUpFindings,
                GetFindingsRate = 100_000,
                GetFindingsBurst = 100_000,
                TimeProvider = _timeProvider,
            },
            cancellationToken).ConfigureAwait(false);
        var results = await SimulatedOrganization.ExportAsync(
            emulator.Endpoint,
            [AdministratorAccount],
            [region],
            "bench-warm-up",
            new DirectoryPartSink(folder),
            Format,
            CliExportOptions.Default with { Quota = new QuotaOptions { RequestsPerSecond = 100_000, Burst = 100_000 } },
            _ => null,
            _timeProvider,
            Filters,
            cancellationToken).ConfigureAwait(false);
        if (!results[0].IsComplete)
        {
            throw new InvalidOperationException($"The warm-up export did not complete: {results[0].Regions[0].Status} {results[0].Regions[0].Reason}");
        }
    }

    private async Task<FanoutResult> MeasureFanoutAsync(string folder, IReadOnlyList<string> accounts, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions
            {
                Accounts = accounts,
                Regions = regions,
                FindingsPerRegion = _settings.FindingsPerRegion,
                Latency = TimeSpan.FromMilliseconds(_settings.LatencyMs),
                TimeProvider = _timeProvider,
            },
            cancellationToken).ConfigureAwait(false);

        // Garbage of the earlier phases must not count as the fan-out's memory.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var workingSetBefore = Environment.WorkingSet;

        // What this process burns doing nothing (runtime, emulator, sampler), so the fan-out's CPU can be split into that and per-finding work.
        var idleMeter = ProcessMeter.Start();
        PhaseMeasurement idle;
        await using (idleMeter.ConfigureAwait(false))
        {
            await Task.Delay(IdleSample, _timeProvider, cancellationToken).ConfigureAwait(false);
            idle = await idleMeter.StopAsync().ConfigureAwait(false);
        }

        var meter = ProcessMeter.Start();
        AccountResult[] results;
        PhaseMeasurement phase;
        await using (meter.ConfigureAwait(false))
        {
            results = await SimulatedOrganization.ExportAsync(
                emulator.Endpoint,
                accounts,
                regions,
                "bench-fanout",
                new DirectoryPartSink(folder),
                Format,
                CliExportOptions.Default,
                _ => null,
                _timeProvider,
                Filters,
                cancellationToken).ConfigureAwait(false);
            phase = await meter.StopAsync().ConfigureAwait(false);
        }

        var problems = new List<string>();
        foreach (var account in results)
        {
            foreach (var region in account.Regions)
            {
                if (region.Status != RegionStatus.Complete || region.Findings != _settings.FindingsPerRegion)
                {
                    problems.Add(string.Create(_inv, $"{account.AccountId}/{region.Region}: {region.Status}, {region.Findings:N0} of {_settings.FindingsPerRegion:N0} findings stored. {region.Reason}"));
                }
            }
        }

        var served = emulator.Counters.Totals;
        return new FanoutResult(
            TimeBreakdown.From(phase.Wall, results, CliExportOptions.Default.Quota),
            results.Sum(r => r.Findings),
            phase,
            idle.Cpu / idle.Wall,
            workingSetBefore,
            served.Requests,
            served.Throttles,
            results.Sum(r => r.Regions.Sum(g => g.Parts)),
            results.Sum(r => r.Regions.Sum(g => g.Bytes)),
            problems);
    }

    private BenchReport Report(DateTimeOffset startedAt, double load, BaselineResult baseline, TimeSpan emulatorCpu, FanoutResult fanout, (ScalingSample Small, ScalingSample Large)? scaling)
    {
        var streams = _settings.Accounts * _settings.Regions;
        var limit = streams * SimulatedOrganization.FindingsPerSecondPerStream;
        var baselineRate = baseline.Elapsed.TotalSeconds > 0 ? baseline.Findings / baseline.Elapsed.TotalSeconds : 0;
        var fanoutRate = fanout.Phase.Wall.TotalSeconds > 0 ? fanout.Findings / fanout.Phase.Wall.TotalSeconds : 0;
        var cpuPerFinding = fanout.Findings > 0 ? fanout.Phase.Cpu.TotalMicroseconds / fanout.Findings : 0;
        var idleCpu = fanout.IdleCores * fanout.Phase.Wall.TotalMicroseconds;
        var busyPerFinding = fanout.Findings > 0 ? Math.Max(0, fanout.Phase.Cpu.TotalMicroseconds - idleCpu) / fanout.Findings : 0;
        const double Mb = 1024 * 1024;
        var small = scaling?.Small.Report;
        var large = scaling?.Large.Report;
        return new BenchReport
        {
            Accounts = _settings.Accounts,
            Regions = _settings.Regions,
            FindingsPerRegion = _settings.FindingsPerRegion,
            LatencyMs = _settings.LatencyMs,
            BaselinePages = _settings.BaselinePages,
            Cores = Environment.ProcessorCount,
            Cpu = CpuModel(),
            Runtime = RuntimeInformation.FrameworkDescription,
            StartedAt = startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", _inv),
            LoadAverage1m = Math.Round(load, 2),
            BaselineFindingsPerS = Math.Round(baselineRate, 1),
            BaselineFindings = baseline.Findings,
            BaselineSeconds = Math.Round(baseline.Elapsed.TotalSeconds, 3),
            BaselinePagesMeasured = baseline.Pages,
            FanoutFindings = fanout.Findings,
            FanoutSeconds = Math.Round(fanout.Phase.Wall.TotalSeconds, 3),
            FanoutFindingsPerS = Math.Round(fanoutRate, 1),
            QuotaLimitFindingsPerS = limit,
            Speedup = baselineRate > 0 ? Math.Round(fanoutRate / baselineRate, 3) : 0,
            IdealSpeedup = streams,
            Saturation = Math.Round(fanoutRate / limit, 4),
            Requests = fanout.Requests,
            Throttles = fanout.Throttles,
            Parts = fanout.Parts,
            PartBytes = fanout.Bytes,
            CpuSeconds = Math.Round(fanout.Phase.Cpu.TotalSeconds, 3),
            CpuUsPerFinding = Math.Round(cpuPerFinding, 2),
            EmulatorCpuUsPerFinding = Math.Round(emulatorCpu.TotalMicroseconds, 2),
            ExporterCpuUsPerFinding = Math.Round(Math.Max(0, cpuPerFinding - emulatorCpu.TotalMicroseconds), 2),
            IdleCpuCores = Math.Round(fanout.IdleCores, 3),
            HostStartUpSeconds = Seconds(fanout.Breakdown?.Host),
            StartUpSeconds = Seconds(fanout.Breakdown?.StartUp),
            MedianStartUpSeconds = Seconds(fanout.Breakdown?.MedianStartUp),
            SlowestStreamRequests = fanout.Breakdown?.Requests,
            QuotaUnusedSeconds = Seconds(fanout.Breakdown?.Unused),
            BusyCpuUsPerFinding = Math.Round(busyPerFinding, 2),
            AllocatedBytesPerFinding = fanout.Findings > 0 ? Math.Round((double)fanout.Phase.AllocatedBytes / fanout.Findings, 0) : 0,
            WorkingSetBeforeFanoutMb = Math.Round(fanout.WorkingSetBefore / Mb, 1),
            FanoutPeakWorkingSetMb = Math.Round(fanout.Phase.PeakWorkingSet / Mb, 1),
            PeakWorkingSetMb = Math.Round(ProcessMeter.ProcessPeakWorkingSet() / Mb, 1),
            ScalingFactor = scaling is null ? null : _settings.MemoryScalingFactor,
            ScalingPaced = scaling is null ? null : _settings.MemoryScalingPaced,
            ScalingGcAvailableMb = large?.GcAvailableMb ?? small?.GcAvailableMb,
            ScalingFindingsPerRegion1x = scaling?.Small.FindingsPerRegion,
            ScalingFindingsPerRegionNx = scaling?.Large.FindingsPerRegion,
            ScalingFindings1x = scaling?.Small.Findings,
            ScalingFindingsNx = scaling?.Large.Findings,
            ScalingSeconds1x = small?.Seconds,
            ScalingSecondsNx = large?.Seconds,
            ScalingPeakHeapMb1x = small?.PeakHeapMb,
            ScalingPeakHeapMbNx = large?.PeakHeapMb,
            ScalingPeakHeapAfterGen2Mb1x = small?.PeakHeapAfterGen2Mb,
            ScalingPeakHeapAfterGen2MbNx = large?.PeakHeapAfterGen2Mb,
            ScalingPeakLiveMb1x = small?.PeakLiveAtGen2Mb,
            ScalingPeakLiveMbNx = large?.PeakLiveAtGen2Mb,
            ScalingCpuSeconds1x = small?.CpuSeconds,
            ScalingCpuSecondsNx = large?.CpuSeconds,
            ScalingPeakCommittedMb1x = small?.PeakCommittedMb,
            ScalingPeakCommittedMbNx = large?.PeakCommittedMb,
            ScalingPeakWorkingSetMb1x = small?.PeakWorkingSetMb,
            ScalingPeakWorkingSetMbNx = large?.PeakWorkingSetMb,
            ScalingGen2Collections1x = small?.Gen2Collections,
            ScalingGen2CollectionsNx = large?.Gen2Collections,
            MemoryGrowthRatio = Ratio(large?.PeakWorkingSetMb, small?.PeakWorkingSetMb),
            HeapGrowthRatio = Ratio(large?.PeakHeapMb, small?.PeakHeapMb),
        };
    }

    private async Task PrintAsync(BenchReport r, IReadOnlyList<string> problems, TimeBreakdown? breakdown)
    {
        var streams = r.Accounts * r.Regions;
        string[] lines =
        [
            string.Empty,
            "                                 findings    seconds   findings/s",
            string.Create(_inv, $"  {"baseline (1 admin stream)",-25}{r.BaselineFindings,10:N0} {r.BaselineSeconds,10:F1} {r.BaselineFindingsPerS,12:N0}   ({r.BaselinePagesMeasured} pages after the burst)"),
            string.Create(_inv, $"  {$"fan-out ({streams} streams)",-25}{r.FanoutFindings,10:N0} {r.FanoutSeconds,10:F1} {r.FanoutFindingsPerS,12:N0}"),
            string.Empty,
            string.Create(_inv, $"  speedup        {r.Speedup:F2}x (ideal {r.IdealSpeedup}x = accounts x Regions; {r.Speedup / r.IdealSpeedup:F2} of ideal)"),
            string.Create(_inv, $"  saturation     {r.Saturation:F3} of the quota limit {r.QuotaLimitFindingsPerS:N0} findings/s ({streams} x 300)"),
            string.Create(_inv, $"  {_settings.Api.Operation(),-15}{r.Requests:N0} requests, {r.Throttles:N0} throttled (429)"),
            string.Create(_inv, $"  CPU            {r.CpuSeconds:F1} s = {r.CpuUsPerFinding:F1} µs per finding (emulator at most {r.EmulatorCpuUsPerFinding:F1}, exporter at least {r.ExporterCpuUsPerFinding:F1})"),
            string.Create(_inv, $"  CPU at rest    {r.IdleCpuCores:F3} cores before the fan-out (runtime, emulator, sampler); the rest is {r.BusyCpuUsPerFinding:F1} µs per finding"),
            string.Create(_inv, $"  allocated      {r.AllocatedBytesPerFinding / 1024:F1} KB per finding"),
            string.Create(_inv, $"  working set    {r.WorkingSetBeforeFanoutMb:N0} MB before the fan-out, {r.FanoutPeakWorkingSetMb:N0} MB at its peak; process peak {r.PeakWorkingSetMb:N0} MB"),
            string.Create(_inv, $"  output         {r.Parts:N0} Parquet parts, {r.PartBytes / 1024.0 / 1024.0:F1} MiB (in a temporary folder, deleted)"),
            string.Create(_inv, $"  targets        saturation >= 0.95: {Verdict(r.Saturation >= 0.95)} (>= 0.97: {Verdict(r.Saturation >= 0.97)}); speedup >= 0.9 x ideal: {Verdict(r.Speedup >= 0.9 * r.IdealSpeedup)}; CPU <= 45 µs per finding: {Verdict(r.CpuUsPerFinding <= 45)} (exporter alone <= 30: {Verdict(r.ExporterCpuUsPerFinding <= 30)})"),
        ];
        foreach (var line in lines.Concat(breakdown?.Lines("  ") ?? []))
        {
            await _out.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (r.ScalingFactor is { } factor)
        {
            string[] scaling =
            [
                string.Empty,
                string.Create(_inv, $"  memory scaling (each size in a fresh child process holding only the exporter; {(r.ScalingPaced == true ? "real quota" : "quota off")}, GC may use {r.ScalingGcAvailableMb:N0} MiB)"),
                "                       findings/Region   findings    seconds  CPU s   peak heap    live      committed  working set   gen2 GCs",
                ScalingLine("1x", r.ScalingFindingsPerRegion1x, r.ScalingFindings1x, r.ScalingSeconds1x, r.ScalingCpuSeconds1x, r.ScalingPeakHeapMb1x, r.ScalingPeakLiveMb1x, r.ScalingPeakCommittedMb1x, r.ScalingPeakWorkingSetMb1x, r.ScalingGen2Collections1x),
                ScalingLine($"{factor}x", r.ScalingFindingsPerRegionNx, r.ScalingFindingsNx, r.ScalingSecondsNx, r.ScalingCpuSecondsNx, r.ScalingPeakHeapMbNx, r.ScalingPeakLiveMbNx, r.ScalingPeakCommittedMbNx, r.ScalingPeakWorkingSetMbNx, r.ScalingGen2CollectionsNx),
                string.Create(_inv, $"  growth         working set x{r.MemoryGrowthRatio:F2}, heap x{r.HeapGrowthRatio:F2} for {factor}x the findings (1.00 is flat)"),
            ];
            foreach (var line in scaling)
            {
                await _out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        if (problems.Count > 0)
        {
            await _out.WriteLineAsync($"  INCOMPLETE     {problems.Count} account-Region(s) did not export every finding:").ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await _out.WriteLineAsync("    " + problem).ConfigureAwait(false);
            }
        }
    }

    private Task WriteAsync(string line) => _out.WriteLineAsync(line);

    private static double? Ratio(double? value, double? baseValue) =>
        value is { } v && baseValue is { } b && b > 0 ? Math.Round(v / b, 3) : null;

    private static string ScalingLine(string size, int? perRegion, long? findings, double? seconds, double? cpu, double? heap, double? live, double? committed, double? workingSet, int? gen2Collections) =>
        string.Create(_inv, $"  {size,-6}{perRegion,22:N0} {findings,10:N0} {seconds,10:F1} {cpu,6:F1} {heap,8:N0} MB {live,8:N0} MB {committed,8:N0} MB {workingSet,9:N0} MB {gen2Collections,10:N0}");

    private static double? Seconds(TimeSpan? t) => t is { } value ? Math.Round(value.TotalSeconds, 3) : null;

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, _inv);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record BaselineResult(long Findings, long Pages, TimeSpan Elapsed);

    private sealed record FanoutResult(TimeBreakdown? Breakdown, long Findings, PhaseMeasurement Phase, double IdleCores, long WorkingSetBefore, long Requests, long Throttles, int Parts, long Bytes, IReadOnlyList<string> Problems);
}
