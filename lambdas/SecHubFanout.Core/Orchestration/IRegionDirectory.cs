namespace SecHubFanout.Core.Orchestration;

/// <summary>The Regions an export covers when neither the request nor the launcher's defaults name any.</summary>
public interface IRegionDirectory
{
    /// <summary>Returns the Region names, sorted.</summary>
    Task<IReadOnlyList<string>> ListRegionsAsync(CancellationToken cancellationToken);
}
