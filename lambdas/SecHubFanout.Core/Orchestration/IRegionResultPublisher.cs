namespace SecHubFanout.Core.Orchestration;

/// <summary>Sends one (account, Region) result to the central coordinator (the central event bus).</summary>
public interface IRegionResultPublisher
{
    /// <summary>Publishes the result; throws when it was not accepted.</summary>
    Task PublishAsync(RegionExportEvent result, CancellationToken cancellationToken);
}
