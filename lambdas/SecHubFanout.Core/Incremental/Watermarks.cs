using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Incremental;

/// <summary>
/// Where each Region's incremental export stands: the pinned end of the last run in which that Region completed. The next run
/// takes that Region from its watermark minus an overlap (findings that become visible late, with a window-field time just before
/// the cut-off, are caught); a Region that failed or never completed keeps its old watermark (or none: a full export). Instants
/// only: the logic does not depend on which finding field the windows are on (<c>UpdatedAt</c> for ASFF).
/// </summary>
public sealed class Watermarks
{
    /// <summary>The overlap used when none is given: 15 minutes.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, DateTimeOffset> _byRegion;

    private Watermarks(Dictionary<string, DateTimeOffset> byRegion)
    {
        _byRegion = byRegion;
    }

    /// <summary>No Region exported yet: every Region's next run is a full export.</summary>
    public static Watermarks None { get; } = new(new(StringComparer.Ordinal));

    /// <summary>Each Region's watermark, in ordinal Region order.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ByRegion =>
        _byRegion.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Reads saved watermarks (null or empty: none), each truncated to the millisecond.</summary>
    public static Watermarks From(IReadOnlyDictionary<string, DateTimeOffset>? byRegion) =>
        byRegion is null || byRegion.Count == 0
            ? None
            : new(byRegion.ToDictionary(kv => kv.Key, kv => Instants.TruncateToMillisecond(kv.Value), StringComparer.Ordinal));

    /// <summary>The Region's watermark, or null when it never completed.</summary>
    public DateTimeOffset? Of(string region) => _byRegion.TryGetValue(region, out var at) ? at : null;

    /// <summary>
    /// The first instant (inclusive) the next run of <paramref name="region"/> takes: its watermark minus <paramref name="overlap"/>,
    /// never after <paramref name="end"/>; null (everything) when the Region has no watermark.
    /// </summary>
    public DateTimeOffset? SinceFor(string region, TimeSpan overlap, DateTimeOffset end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(overlap, TimeSpan.Zero);
        if (Of(region) is not { } watermark)
        {
            return null;
        }

        // Both bounds are inclusive, so a finding exactly on the watermark is taken again even with no overlap.
        var since = Instants.TruncateToMillisecond(watermark - overlap);
        var pinned = Instants.TruncateToMillisecond(end);
        return since > pinned ? pinned : since;
    }

    /// <summary>The start instant of every Region that has a watermark (a Region without one is absent: a full export).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> SinceByRegion(IEnumerable<string> regions, TimeSpan overlap, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var since = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            if (SinceFor(region, overlap, end) is { } at)
            {
                since[region] = at;
            }
        }

        return since;
    }

    /// <summary>
    /// One start that serves several Regions at once (an organization member's export takes one start for all its Regions): the
    /// earliest of their starts, null (everything) when any of them has no watermark. Regions ahead re-read a little; none skips.
    /// </summary>
    public DateTimeOffset? EarliestSince(IEnumerable<string> regions, TimeSpan overlap, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(regions);
        DateTimeOffset? earliest = null;
        var any = false;
        foreach (var region in regions)
        {
            any = true;
            if (SinceFor(region, overlap, end) is not { } since)
            {
                return null;
            }

            earliest = earliest is null || since < earliest ? since : earliest;
        }

        return any ? earliest : null;
    }

    /// <summary>Moves the watermark of each of <paramref name="completedRegions"/> to <paramref name="end"/> (never backwards); the others keep theirs.</summary>
    public Watermarks Advance(IEnumerable<string> completedRegions, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(completedRegions);
        var pinned = Instants.TruncateToMillisecond(end);
        var next = new Dictionary<string, DateTimeOffset>(_byRegion, StringComparer.Ordinal);
        foreach (var region in completedRegions)
        {
            if (!next.TryGetValue(region, out var at) || at < pinned)
            {
                next[region] = pinned;
            }
        }

        return new(next);
    }
}
