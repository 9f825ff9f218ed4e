namespace SecHubFanout.Core.Planning;

/// <summary>
/// The disjoint <c>UpdatedAt</c> windows that together cover everything from 1970 (or <c>--since</c>) to the pinned end of an export:
/// one old window up to the recent span, then finer windows over the recent span, narrowest at the newest end where findings crowd.
/// </summary>
public sealed class ExportPlan
{
    private ExportPlan(DateTimeOffset end, IReadOnlyList<UpdatedAtWindow> windows)
    {
        End = end;
        Windows = windows;
    }

    /// <summary>The oldest instant any plan reaches back to.</summary>
    public static DateTimeOffset Epoch { get; } = DateTimeOffset.UnixEpoch;

    /// <summary>The pinned end of the export (inclusive): nothing updated after it is taken.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The windows by index (as planned: oldest first), contiguous in time at millisecond granularity.</summary>
    public IReadOnlyList<UpdatedAtWindow> Windows { get; }

    /// <summary>Plans the windows for an export pinned at <paramref name="end"/>.</summary>
    /// <param name="end">The pinned end (inclusive), truncated to the millisecond here.</param>
    /// <param name="recentSpan">The span before <paramref name="end"/> split into finer windows (Security Hub keeps findings 90 days).</param>
    /// <param name="recentWindows">How many windows the recent span is split into.</param>
    /// <param name="growth">Each window (going back in time) is this many times longer than the next newer one; 1 splits evenly.</param>
    /// <param name="since">Optional first instant to take (inclusive); when it lies inside the recent span, that shorter span is split instead.</param>
    public static ExportPlan Create(DateTimeOffset end, TimeSpan recentSpan, int recentWindows, double growth, DateTimeOffset? since = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentWindows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recentSpan, Instants.Tick);
        if (!double.IsFinite(growth) || growth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(growth), growth, "The window growth factor must be a finite number of at least 1.");
        }

        end = Instants.TruncateToMillisecond(end);
        var first = since is null ? Epoch : Instants.TruncateToMillisecond(since.Value);
        if (first < Epoch)
        {
            first = Epoch;
        }

        if (first > end)
        {
            throw new ArgumentOutOfRangeException(
                nameof(since),
                since,
                $"The since instant ({UpdatedAtWindow.FormatInstant(first)}) is after the end of the export ({UpdatedAtWindow.FormatInstant(end)}): give an earlier instant.");
        }

        var recentStart = end - recentSpan;
        var starts = new List<DateTimeOffset>();
        if (recentStart > first)
        {
            starts.Add(first);
        }
        else
        {
            recentStart = first;
        }

        // Inclusive length in milliseconds, so that a one-millisecond span still gets its one window.
        var length = (long)(end - recentStart).TotalMilliseconds + 1;
        var weights = new double[recentWindows];
        for (var i = 0; i < recentWindows; i++)
        {
            // Oldest window first: the largest weight.
            weights[i] = Math.Pow(growth, recentWindows - 1 - i);
        }

        var total = weights.Sum();
        var cumulative = 0.0;
        for (var i = 0; i < recentWindows; i++)
        {
            var start = recentStart + TimeSpan.FromMilliseconds(Math.Floor(length * cumulative / total));
            if (starts.Count == 0 || start > starts[^1])
            {
                starts.Add(start);
            }

            cumulative += weights[i];
        }

        var windows = new List<UpdatedAtWindow>(starts.Count);
        for (var k = 0; k < starts.Count; k++)
        {
            var windowEnd = k + 1 < starts.Count ? starts[k + 1] - Instants.Tick : end;
            windows.Add(new UpdatedAtWindow(k, starts[k], windowEnd));
        }

        return new ExportPlan(end, windows);
    }

    /// <summary>
    /// Rebuilds a plan from saved windows (a resume pages exactly the same windows), checking that their indexes are 0 to n-1 and
    /// that, in time order, they are contiguous and end at <paramref name="end"/>. Windows split off during an export follow the
    /// planned ones by index, so index order need not be time order.
    /// </summary>
    public static ExportPlan FromWindows(DateTimeOffset end, IReadOnlyList<UpdatedAtWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            throw new ArgumentException("A plan needs at least one window.", nameof(windows));
        }

        for (var k = 0; k < windows.Count; k++)
        {
            var window = windows[k];
            if (window.Index != k || window.Start > window.End)
            {
                throw new ArgumentException($"Window {k} is malformed ({window}).", nameof(windows));
            }
        }

        var inTimeOrder = windows.OrderBy(w => w.Start).ToList();
        for (var k = 1; k < inTimeOrder.Count; k++)
        {
            if (inTimeOrder[k].Start != inTimeOrder[k - 1].End + Instants.Tick)
            {
                throw new ArgumentException(
                    $"Window {inTimeOrder[k].Index} does not start one millisecond after window {inTimeOrder[k - 1].Index} ends: the windows would overlap or leave a gap.",
                    nameof(windows));
            }
        }

        if (inTimeOrder[^1].End != end)
        {
            throw new ArgumentException("The last window does not end at the export's pinned end.", nameof(windows));
        }

        return new ExportPlan(end, windows);
    }
}
