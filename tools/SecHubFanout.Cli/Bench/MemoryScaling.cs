using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SecHubFanout.Cli.Simulation;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// The memory-scaling phase of <c>bench</c>: the same fan-out export at N and F x N findings per Region, each in a fresh child
/// process of this CLI (<c>bench memory-probe</c>) that holds only the runtime and the exporter, while the emulator serves from this
/// process. So neither the emulator (whose per-query caches grow with findings), nor its server, nor the earlier phases' garbage and
/// JIT state count as the exporter's memory, and each size starts from the same empty process, as a Lambda container does.
/// </summary>
internal sealed class MemoryScaling
{
    private static readonly TimeSpan s_childTimeout = TimeSpan.FromHours(2);

    private readonly BenchSettings _settings;
    private readonly TimeProvider _timeProvider;

    public MemoryScaling(BenchSettings settings, TimeProvider timeProvider)
    {
        _settings = settings;
        _timeProvider = timeProvider;
    }

    /// <summary>Runs one size: an emulator here with <paramref name="findingsPerRegion"/> in every account-Region, the export in a child.</summary>
    public async Task<ScalingSample> MeasureAsync(int findingsPerRegion, CancellationToken cancellationToken)
    {
        var accounts = SimulatedOrganization.AccountIds(_settings.Accounts);
        var regions = SimulatedOrganization.RegionNames.Take(_settings.Regions).ToList();
        var unpaced = !_settings.MemoryScalingPaced;
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions
            {
                Accounts = accounts,
                Regions = regions,
                FindingsPerRegion = findingsPerRegion,
                Latency = TimeSpan.FromMilliseconds(_settings.LatencyMs),
                GetFindingsRate = unpaced ? MemoryProbe.Unpaced.RequestsPerSecond : new EmulatorOptions().GetFindingsRate,
                GetFindingsBurst = unpaced ? MemoryProbe.Unpaced.Burst : new EmulatorOptions().GetFindingsBurst,
                TimeProvider = _timeProvider,
            },
            cancellationToken).ConfigureAwait(false);

        var (exitCode, stdout, stderr) = await RunChildAsync(emulator.Endpoint, cancellationToken).ConfigureAwait(false);
        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        MemoryProbeReport? report = null;
        if (lastLine is not null && lastLine.StartsWith('{'))
        {
            report = JsonSerializer.Deserialize(lastLine, BenchJsonContext.Default.MemoryProbeReport);
        }

        var problems = new List<string>();
        if (report is null)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the memory probe at {findingsPerRegion:N0} findings per Region exited {exitCode} without a report: {Tail(stderr)}"));
            return new ScalingSample(findingsPerRegion, 0, null, problems);
        }

        problems.AddRange(report.Failures);
        foreach (var account in accounts)
        {
            foreach (var region in regions)
            {
                var key = $"{account}/{region}";
                var stored = report.FindingsByRegion.GetValueOrDefault(key);
                if (stored != findingsPerRegion)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"memory probe {key}: {stored:N0} of {findingsPerRegion:N0} findings stored"));
                }
            }
        }

        if (exitCode != ExitCodes.Success && problems.Count == 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the memory probe at {findingsPerRegion:N0} findings per Region exited {exitCode}: {Tail(stderr)}"));
        }

        return new ScalingSample(findingsPerRegion, report.FindingsByRegion.Values.Sum(), report, problems);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunChildAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var info = SelfStartInfo();
        string[] args =
        [
            "bench", "memory-probe", "--endpoint", endpoint.ToString(),
            "--accounts", _settings.Accounts.ToString(CultureInfo.InvariantCulture),
            "--regions", _settings.Regions.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (_settings.MemoryScalingPaced)
        {
            info.ArgumentList.Add("--paced");
        }

        if (_settings.MemoryScalingHeapLimitMb > 0)
        {
            // What a Lambda function's memory size gives .NET's heap; the child alone is limited, not this process.
            info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + (_settings.MemoryScalingHeapLimitMb * 1024L * 1024L).ToString("x", CultureInfo.InvariantCulture);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName} for the memory probe.");
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_childTimeout);
        try
        {
            await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }

        return (child.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>How to start this same CLI again: its apphost, or <c>dotnet exec</c> with its assembly when run through the muxer.</summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown; the memory probe cannot be started.");
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return new ProcessStartInfo(host);
        }

        var info = new ProcessStartInfo(host);
        info.ArgumentList.Add("exec");
        // Under the muxer the CLI is a framework-dependent dll beside the others (Assembly.Location is empty in a single file).
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(MemoryScaling).Assembly.GetName().Name + ".dll"));
        return info;
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 600 ? trimmed : "…" + trimmed[^600..];
    }
}

/// <summary>One size of the memory-scaling phase: what the child exported and held, or why it could not say.</summary>
/// <param name="FindingsPerRegion">The findings in every account-Region.</param>
/// <param name="Findings">Findings stored in all account-Regions together.</param>
/// <param name="Report">The child's report, or null when it ended without one.</param>
/// <param name="Problems">Account-Regions that did not store exactly their findings, or a child that failed.</param>
internal sealed record ScalingSample(int FindingsPerRegion, long Findings, MemoryProbeReport? Report, IReadOnlyList<string> Problems);
