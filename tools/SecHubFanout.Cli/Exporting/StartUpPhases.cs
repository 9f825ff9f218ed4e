using System.Diagnostics;
using System.Globalization;

namespace SecHubFanout.Cli.Exporting;

/// <summary>
/// The steps a command takes before its first page, timed one after another (the runtime's own start counted from the process's
/// start time): what a user waits for before the progress bars move, printed with the summary.
/// </summary>
internal sealed class StartUpPhases
{
    private readonly TimeProvider _timeProvider;
    private readonly List<(string Name, TimeSpan Took)> _phases = [];
    private long _last;

    private StartUpPhases(TimeProvider timeProvider, TimeSpan runtime)
    {
        _timeProvider = timeProvider;
        _phases.Add(("runtime", runtime));
        _last = timeProvider.GetTimestamp();
    }

    /// <summary>Starts timing now; the first phase is the time since the process started.</summary>
    public static StartUpPhases Start(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var process = Process.GetCurrentProcess();
        var sinceProcessStart = DateTime.Now - process.StartTime;
        return new StartUpPhases(timeProvider, sinceProcessStart > TimeSpan.Zero ? sinceProcessStart : TimeSpan.Zero);
    }

    /// <summary>Ends the phase running since the last mark (or the start) and names it.</summary>
    public void Mark(string name)
    {
        var now = _timeProvider.GetTimestamp();
        _phases.Add((name, _timeProvider.GetElapsedTime(_last, now)));
        _last = now;
    }

    /// <summary>The phases so far, in order.</summary>
    public IReadOnlyList<(string Name, TimeSpan Took)> Phases => _phases;

    /// <summary>One line: the total and each phase.</summary>
    public string Line(string indent) =>
        string.Create(CultureInfo.InvariantCulture, $"{indent}start-up {_phases.Sum(p => p.Took.TotalSeconds):F2} s before the export: ") +
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Took.TotalSeconds:F2} s")));
}
