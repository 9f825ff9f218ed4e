using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Export;

/// <summary>What to export for one account: the same for each of its Regions.</summary>
public sealed record ExportRequest
{
    /// <summary>The export's ID (1 to 64 of letters, digits, '.', '_', '-'); it names the parts.</summary>
    public required string ExportId { get; init; }

    /// <summary>The 12-digit account whose findings are exported (the one the finding source's credentials belong to).</summary>
    public required string AccountId { get; init; }

    /// <summary>The user's filters, ANDed with each window. Default: none.</summary>
    public FindingFilters Filters { get; init; } = FindingFilters.None;

    /// <summary>Take only findings updated at or after this instant. Default: everything.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>
    /// Per-Region first instants that take the place of <see cref="Since"/> for the Regions they name (an incremental export: each
    /// Region from its own watermark minus the overlap). Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? SinceByRegion { get; init; }

    /// <summary>The first instant taken in <paramref name="region"/>: its own in <see cref="SinceByRegion"/>, else <see cref="Since"/>.</summary>
    public DateTimeOffset? SinceFor(string region) =>
        SinceByRegion is not null && SinceByRegion.TryGetValue(region, out var since) ? since : Since;

    /// <summary>The pinned end (inclusive) shared by a whole organization's export. Default: the export's start (from the TimeProvider), to the millisecond.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// How long this run may take before it stops paging, stores its open parts (up to one per window being paged) and returns a
    /// checkpoint; leave the host a margin for those last stores. Default: no limit.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }
}
