namespace SecHubFanout.Core.Export;

/// <summary>The outcome of one run of an account's export over several Regions.</summary>
/// <param name="ExportId">The export's ID.</param>
/// <param name="AccountId">The account.</param>
/// <param name="End">The pinned end shared by every Region.</param>
/// <param name="Regions">Each Region's result, in the order asked.</param>
/// <param name="Duration">Wall time of the whole run.</param>
public sealed record AccountResult(string ExportId, string AccountId, DateTimeOffset End, IReadOnlyList<RegionResult> Regions, TimeSpan Duration)
{
    /// <summary>Findings stored over all Regions.</summary>
    public long Findings => Regions.Sum(r => r.Findings);

    /// <summary>True when every Region is complete or not enabled.</summary>
    public bool IsComplete => Regions.All(r => r.Status is RegionStatus.Complete or RegionStatus.NotEnabled);
}
