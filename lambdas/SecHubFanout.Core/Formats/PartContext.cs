namespace SecHubFanout.Core.Formats;

/// <summary>What every row of a part carries besides the finding: where and when it was exported.</summary>
/// <param name="ExportId">The export's ID.</param>
/// <param name="SourceAccountId">The account whose exporter pulled the findings.</param>
/// <param name="SourceRegion">The Region they were pulled from.</param>
/// <param name="ExportedAt">When the export started (its pinned end), UTC.</param>
public sealed record PartContext(string ExportId, string SourceAccountId, string SourceRegion, DateTimeOffset ExportedAt);
