using System.Text.Json;
using System.Text.Json.Serialization;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Checkpoints;

/// <summary>
/// The resumable state of one account and Region of an export: the pinned end, the window edges (a resume pages exactly the same
/// windows) and each window's progress. It only ever describes parts that are durably stored.
/// </summary>
/// <param name="Version">The format version of this JSON.</param>
/// <param name="ExportId">The export's ID.</param>
/// <param name="AccountId">The account exported.</param>
/// <param name="Region">The Region exported.</param>
/// <param name="End">The export's pinned end (inclusive), UTC, millisecond precision.</param>
/// <param name="FiltersFingerprint">The fingerprint of the user filters; a resume with other filters is refused.</param>
/// <param name="Windows">Each window's edges and progress, by index: the planned ones oldest first, then those split off during the export.</param>
/// <param name="Revision">How many times the export of this Region advanced (0 for a fresh plan): of two checkpoints of the same export
/// and Region, the one with the higher revision is the later one (a host that also saves checkpoints elsewhere resumes from the later).</param>
public sealed record ExportCheckpoint(
    int Version,
    string ExportId,
    string AccountId,
    string Region,
    DateTimeOffset End,
    string FiltersFingerprint,
    IReadOnlyList<WindowCheckpoint> Windows,
    long Revision = 0)
{
    /// <summary>The version this code writes. Version 2 added split windows (<see cref="WindowCheckpoint.ChainEnd"/>,
    /// <see cref="WindowCheckpoint.SplitOff"/>, windows appended out of time order); version 1 checkpoints are still read.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The oldest version this code reads.</summary>
    public const int OldestReadableVersion = 1;

    /// <summary>True when every window is done.</summary>
    [JsonIgnore]
    public bool IsComplete => Windows.All(w => w.Done);

    /// <summary>
    /// True when <paramref name="other"/> is a checkpoint of the same export of the same account and Region (same end and filters), so
    /// either may resume it.
    /// </summary>
    public bool IsSameExport(ExportCheckpoint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ExportId == other.ExportId && AccountId == other.AccountId && Region == other.Region && End == other.End && FiltersFingerprint == other.FiltersFingerprint;
    }

    /// <summary>Findings in stored parts.</summary>
    [JsonIgnore]
    public long Findings => Windows.Sum(w => w.Findings);

    /// <summary>Pages whose findings are in stored parts.</summary>
    [JsonIgnore]
    public long Pages => Windows.Sum(w => w.Pages);

    /// <summary>Stored parts (the current run of each window).</summary>
    [JsonIgnore]
    public int Parts => Windows.Sum(w => w.NextPartSeq);

    /// <summary>Bytes of stored parts.</summary>
    [JsonIgnore]
    public long Bytes => Windows.Sum(w => w.Bytes);

    /// <summary>The windows as a plan, checked to be contiguous and to end at <see cref="End"/>.</summary>
    public ExportPlan ToPlan() => ExportPlan.FromWindows(End, Windows.Select(w => w.ToWindow()).ToList());

    /// <summary>Serializes to compact JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ExportJsonContext.Default.ExportCheckpoint);

    /// <summary>Reads a checkpoint written by <see cref="ToJson"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static ExportCheckpoint Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ExportCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize(json, ExportJsonContext.Default.ExportCheckpoint);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The checkpoint is not valid checkpoint JSON ({e.Message}). Delete it to start the export afresh.", e);
        }

        if (checkpoint is null || checkpoint.Windows is null || checkpoint.ExportId is null || checkpoint.AccountId is null || checkpoint.Region is null || checkpoint.FiltersFingerprint is null)
        {
            throw new FormatException("The checkpoint is incomplete (missing export ID, account, Region, filters fingerprint or windows). Delete it to start the export afresh.");
        }

        if (checkpoint.Version is < OldestReadableVersion or > CurrentVersion)
        {
            throw new FormatException($"The checkpoint has version {checkpoint.Version}; this program reads versions {OldestReadableVersion} to {CurrentVersion}. Delete it to start the export afresh.");
        }

        try
        {
            checkpoint.ToPlan();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The checkpoint's windows are inconsistent: {e.Message} Delete it to start the export afresh.", e);
        }

        return checkpoint;
    }
}
