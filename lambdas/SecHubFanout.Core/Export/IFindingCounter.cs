namespace SecHubFanout.Core.Export;

/// <summary>Shows the running count of findings an export has stored for one Region where the member account's administrator can compare it with Security Hub.</summary>
public interface IFindingCounter
{
    /// <summary>Publishes <paramref name="findings"/> as the count of export <paramref name="exportId"/> in <paramref name="region"/>, replacing the previous value.</summary>
    Task PublishAsync(string exportId, string region, long findings, CancellationToken cancellationToken);
}
