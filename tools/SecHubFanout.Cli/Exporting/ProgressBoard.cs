using System.Collections.Concurrent;
using System.Globalization;
using SecHubFanout.Core.Export;
using Spectre.Console;

namespace SecHubFanout.Cli.Exporting;

/// <summary>
/// Shows the live counters of several export streams (Regions, or account/Region pairs): a Spectre.Console live display on an
/// interactive terminal, plain lines every few seconds and at each stream's end otherwise (pipes, CI, NO_COLOR).
/// </summary>
internal sealed class ProgressBoard
{
    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;
    private readonly IReadOnlyList<string> _labels;
    private readonly ConcurrentDictionary<string, RegionProgress> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _baseline = new(StringComparer.Ordinal);
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly bool _interactive;
    private readonly TextWriter _output;
    private readonly TimeSpan _plainInterval;
    private readonly TimeProvider _timeProvider;
    private readonly int _labelWidth;
    private long _started;

    public ProgressBoard(IReadOnlyList<string> labels, bool interactive, TextWriter output, TimeSpan plainInterval, TimeProvider timeProvider)
    {
        _labels = labels;
        _interactive = interactive;
        _output = output;
        _plainInterval = plainInterval;
        _timeProvider = timeProvider;
        _labelWidth = Math.Max(8, labels.Count == 0 ? 0 : labels.Max(l => l.Length));
    }

    /// <summary>The progress sink for one account's exporter; its Regions appear as <c>prefix/region</c> (or the Region alone).</summary>
    public IProgress<RegionProgress> For(string? prefix) => new Sink(this, prefix);

    /// <summary>Findings already stored before this run (a resume), so findings/s counts only this run's.</summary>
    public void SetBaseline(string label, long findings) => _baseline[label] = findings;

    /// <summary>Runs <paramref name="work"/> while showing progress, and returns its result.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        _started = _timeProvider.GetTimestamp();
        if (_interactive)
        {
            return await AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var tasks = _labels.ToDictionary(l => l, l => context.AddTask(Markup.Escape(Describe(l, null)), autoStart: true, maxValue: 1), StringComparer.Ordinal);
                    var running = work();
                    while (!running.IsCompleted)
                    {
                        Refresh(tasks);
                        await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(250), _timeProvider)).ConfigureAwait(false);
                    }

                    Refresh(tasks);
                    return await running.ConfigureAwait(false);
                })
                .ConfigureAwait(false);
        }

        var job = work();
        while (!job.IsCompleted)
        {
            await Task.WhenAny(job, Task.Delay(_plainInterval, _timeProvider)).ConfigureAwait(false);
            PrintPlain(final: job.IsCompleted);
        }

        return await job.ConfigureAwait(false);
    }

    private void Refresh(Dictionary<string, ProgressTask> tasks)
    {
        foreach (var (label, task) in tasks)
        {
            if (_latest.TryGetValue(label, out var p))
            {
                task.MaxValue = Math.Max(1, p.Windows);
                task.Value = p.WindowsDone;
                task.Description = Markup.Escape(Describe(label, p, compact: true));
            }
        }
    }

    private void PrintPlain(bool final)
    {
        var elapsed = _timeProvider.GetElapsedTime(_started);
        var snapshot = _labels.Where(_latest.ContainsKey).Select(l => (Label: l, P: _latest[l])).ToList();
        foreach (var (label, p) in snapshot.Where(s => s.P.Windows > 0 && s.P.WindowsDone == s.P.Windows))
        {
            if (_announced.Add(label))
            {
                _output.WriteLine($"  done     {Describe(label, p)}");
            }
        }

        if (final)
        {
            _output.Flush();
            return;
        }

        var active = snapshot.Where(s => !_announced.Contains(s.Label)).ToList();
        var findings = snapshot.Sum(s => s.P.Findings - _baseline.GetValueOrDefault(s.Label));
        var throttles = snapshot.Sum(s => s.P.Throttles);
        _output.WriteLine(string.Create(_inv, $"[{elapsed:hh\\:mm\\:ss}] {findings:N0} findings, {Rate(findings):N0}/s, {throttles:N0} throttles; {_announced.Count}/{_labels.Count} done"));
        if (active.Count <= 8)
        {
            foreach (var (label, p) in active)
            {
                _output.WriteLine($"  running  {Describe(label, p)}");
            }
        }

        _output.Flush();
    }

    private string Describe(string label, RegionProgress? p, bool compact = false)
    {
        var name = label.PadRight(_labelWidth);
        if (p is null)
        {
            return $"{name}  starting";
        }

        var fresh = p.Findings - _baseline.GetValueOrDefault(label);
        if (compact)
        {
            // The bar already shows the windows; keep the line short enough for an 80-column terminal.
            return string.Create(_inv, $"{name} {p.Findings,8:N0} findings {Rate(fresh),5:N0}/s {p.Throttles,3:N0} thr");
        }

        return string.Create(_inv, $"{name}  {p.Findings,9:N0} findings  {Rate(fresh),6:N0}/s  {p.Throttles,4:N0} throttles  windows {p.WindowsDone}/{p.Windows}");
    }

    private double Rate(long findings)
    {
        var seconds = _timeProvider.GetElapsedTime(_started).TotalSeconds;
        return seconds < 0.5 ? 0 : Math.Max(0, findings) / seconds;
    }

    private sealed class Sink(ProgressBoard board, string? prefix) : IProgress<RegionProgress>
    {
        public void Report(RegionProgress value)
        {
            var label = prefix is null ? value.Region : $"{prefix}/{value.Region}";
            board._latest[label] = value;
        }
    }
}
