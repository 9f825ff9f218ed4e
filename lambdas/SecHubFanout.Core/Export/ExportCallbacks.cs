using SecHubFanout.Core.Checkpoints;

namespace SecHubFanout.Core.Export;

/// <summary>How a host hears about an export while it runs.</summary>
public sealed record ExportCallbacks
{
    /// <summary>
    /// Called, one call at a time per Region, after each advance of a Region's checkpoint (a part was durably stored or a window
    /// finished); persist it to resume after a crash. The export waits for it.
    /// </summary>
    public Func<ExportCheckpoint, CancellationToken, Task>? CheckpointSaved { get; init; }

    /// <summary>Live counters of each Region after every page (for progress bars).</summary>
    public IProgress<RegionProgress>? Progress { get; init; }
}
