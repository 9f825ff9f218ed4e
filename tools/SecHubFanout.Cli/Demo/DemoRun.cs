using System.Diagnostics;
using System.Globalization;
using SecHubFanout.Cli.Exporting;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Simulation;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Demo;

/// <summary>
/// One run of <c>demo</c>: the emulator with a simulated organization and real quotas, one <see cref="AccountExporter"/> per account
/// (each signing with its own account's credentials), all in parallel into one folder, then a check of every exported ID and a summary.
/// </summary>
internal sealed class DemoRun
{

    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;
    private readonly DemoSettings _settings;
    private readonly TextWriter _out;
    private readonly TimeProvider _timeProvider;

    public DemoRun(DemoSettings settings, TextWriter output, TimeProvider timeProvider)
    {
        _settings = settings;
        _out = output;
        _timeProvider = timeProvider;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startUp = StartUpPhases.Start(_timeProvider);
        _settings.Validate();
        var target = ExportTarget.Parse(_settings.Out, kmsKeyId: null);
        ExportTarget.CheckDirectoryWritable(target.Directory!, "--out");

        var accounts = _settings.AccountIds;
        var regions = _settings.RegionList;
        var expected = (long)accounts.Count * regions.Count * _settings.FindingsPerRegion;
        await _out.WriteLineAsync(string.Create(_inv,
            $"Starting the Security Hub emulator: {accounts.Count} accounts x {regions.Count} Regions x {_settings.FindingsPerRegion:N0} findings = {expected:N0} findings, GetFindings quota 3 req/s (burst 6) per account and Region.")).ConfigureAwait(false);
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions { Accounts = accounts, Regions = regions, FindingsPerRegion = _settings.FindingsPerRegion },
            cancellationToken).ConfigureAwait(false);
        startUp.Mark("emulator");

        var exportId = "demo-" + _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", _inv);
        var sink = new DirectoryPartSink(target.Directory!);
        var format = new ParquetPartFormat();
        var labels = accounts.SelectMany(a => regions.Select(r => $"{a}/{r}")).ToList();
        var board = new ProgressBoard(labels, ConsoleMode.IsInteractive, _out, TimeSpan.FromSeconds(5), _timeProvider);
        await _out.WriteLineAsync($"Exporting {labels.Count} account-Regions in parallel (export {exportId}) into {target.Directory} ...").ConfigureAwait(false);

        startUp.Mark("set-up");
        var started = _timeProvider.GetTimestamp();
        var results = await board.RunAsync(() => SimulatedOrganization.ExportAsync(
            emulator.Endpoint,
            accounts,
            regions,
            exportId,
            sink,
            format,
            CliExportOptions.Default,
            account => new ExportCallbacks { Progress = board.For(account) },
            _timeProvider,
            cancellationToken)).ConfigureAwait(false);
        var wall = _timeProvider.GetElapsedTime(started);

        var verify = Stopwatch.StartNew();
        var mismatches = new List<string>();
        long exported = 0;
        long duplicates = 0;
        foreach (var result in results)
        {
            foreach (var region in result.Regions)
            {
                var label = $"{result.AccountId}/{region.Region}";
                if (region.Status != RegionStatus.Complete)
                {
                    mismatches.Add($"{label}: {region.Status} {region.Reason}");
                    continue;
                }

                var written = await ExportedFindings.ReadIdsAsync(Path.Combine(target.Directory!, region.KeyPrefix), cancellationToken).ConfigureAwait(false);
                var served = emulator.FindingIds(result.AccountId, region.Region);
                exported += written.Values.Sum();
                duplicates += written.Values.Sum(n => n - 1);
                if (written.Count != served.Count || !served.All(written.ContainsKey) || written.Values.Any(n => n > 1))
                {
                    mismatches.Add(string.Create(_inv, $"{label}: wrote {written.Values.Sum():N0} rows ({written.Count:N0} distinct IDs), the emulator holds {served.Count:N0}"));
                }
            }
        }

        verify.Stop();
        await PrintSummaryAsync(results, wall, startUp, exported, duplicates, mismatches, emulator.Counters.Totals, target.Directory!, verify.Elapsed).ConfigureAwait(false);
        return mismatches.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    private async Task PrintSummaryAsync(
        AccountResult[] results,
        TimeSpan wall,
        StartUpPhases startUp,
        long exported,
        long duplicates,
        List<string> mismatches,
        RegionCounters served,
        string folder,
        TimeSpan verifyTime)
    {
        var findings = results.Sum(r => r.Findings);
        var streams = _settings.Accounts * _settings.Regions;
        var limit = streams * SimulatedOrganization.FindingsPerSecondPerStream;
        var achieved = wall.TotalSeconds > 0 ? findings / wall.TotalSeconds : 0;
        var single = TimeSpan.FromSeconds(findings / SimulatedOrganization.FindingsPerSecondPerStream);
        var parts = results.Sum(r => r.Regions.Sum(g => g.Parts));
        var bytes = results.Sum(r => r.Regions.Sum(g => g.Bytes));
        string[] lines =
        [
            string.Empty,
            "Demo summary",
            string.Create(_inv, $"  findings exported    {findings:N0} ({parts:N0} Parquet parts, {bytes / 1024.0 / 1024.0:F1} MiB) into {folder}"),
            string.Create(_inv, $"  accounts x Regions   {_settings.Accounts} x {_settings.Regions} = {streams} parallel streams, each with its own GetFindings quota"),
            string.Create(_inv, $"  wall time            {wall.TotalSeconds:F1} s"),
            string.Create(_inv, $"  throughput           {achieved:N0} findings/s against a quota limit of {limit:N0} findings/s ({streams} x 300): {(limit > 0 ? 100 * achieved / limit : 0):F0}% saturation"),
            string.Create(_inv, $"  GetFindings          {served.Requests:N0} requests, {served.Throttles:N0} throttled (429) and retried"),
            string.Create(_inv, $"  one admin stream     {Duration(single)} for the same {findings:N0} findings at 300 findings/s: the fan-out took {(single.TotalSeconds > 0 ? 100 * wall.TotalSeconds / single.TotalSeconds : 0):F0}% of that time"),
            mismatches.Count == 0
                ? string.Create(_inv, $"  verified             the finding IDs read back from the Parquet files equal the emulator's in all {streams} account-Regions ({exported:N0} rows, {duplicates} duplicates; checked in {verifyTime.TotalSeconds:F1} s)")
                : $"  VERIFICATION FAILED  {mismatches.Count} account-Region(s) differ from the emulator:",
        ];
        var breakdown = (TimeBreakdown.From(wall, results, CliExportOptions.Default.Quota)?.Lines("  ") ?? []).Prepend(startUp.Line("  "));
        foreach (var line in lines.Concat(mismatches.Select(m => "    " + m)).Concat(breakdown))
        {
            await _out.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(_inv, $"{t.TotalHours:F1} h")
        : t.TotalMinutes >= 1 ? string.Create(_inv, $"{(int)t.TotalMinutes} min {t.Seconds} s") : string.Create(_inv, $"{t.TotalSeconds:F1} s");
}
