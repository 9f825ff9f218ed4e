using System.Text.Json.Serialization;
using SecHubFanout.Core.Checkpoints;

namespace SecHubFanout.Cli.Exporting;

/// <summary>What <c>export --checkpoint FILE</c> holds: the export's identity and inputs, and each Region's checkpoint.</summary>
/// <param name="Version">The format version of this file.</param>
/// <param name="ExportId">The export's ID (a resume keeps it, so parts keep their keys).</param>
/// <param name="AccountId">The account exported.</param>
/// <param name="End">The pinned end shared by every Region.</param>
/// <param name="Since">--since as given at the start (a resume must not change it).</param>
/// <param name="FiltersFingerprint">The fingerprint of --filters (a resume must not change them).</param>
/// <param name="Output">--out as given.</param>
/// <param name="Format">The format's name.</param>
/// <param name="Regions">The Regions of the export, as resolved at its start.</param>
/// <param name="NotEnabledRegions">Regions found not enabled (skipped).</param>
/// <param name="Complete">True once every enabled Region completed.</param>
/// <param name="Checkpoints">Each started Region's latest checkpoint.</param>
/// <param name="Incremental">True when the file drives incremental exports (<c>--incremental</c>): each finished run is followed by a new one.</param>
/// <param name="SinceByRegion">This run's first instant per Region (an incremental run; a Region absent is exported in full).</param>
/// <param name="Watermarks">Each Region's watermark: the pinned end of the last run in which it completed.</param>
/// <param name="Finished">True once this run ended (every Region complete, failed or not enabled), as opposed to interrupted.</param>
internal sealed record CheckpointFileData(
    int Version,
    string ExportId,
    string AccountId,
    DateTimeOffset End,
    DateTimeOffset? Since,
    string FiltersFingerprint,
    string Output,
    string Format,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> NotEnabledRegions,
    bool Complete,
    IReadOnlyList<ExportCheckpoint> Checkpoints,
    bool Incremental = false,
    IReadOnlyDictionary<string, DateTimeOffset>? SinceByRegion = null,
    IReadOnlyDictionary<string, DateTimeOffset>? Watermarks = null,
    bool Finished = false)
{
    public const int CurrentVersion = 1;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckpointFileData))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
