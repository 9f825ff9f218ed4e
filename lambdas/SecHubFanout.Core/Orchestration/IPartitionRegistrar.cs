namespace SecHubFanout.Core.Orchestration;

/// <summary>Makes a finished (account, Region) of an export queryable (a Glue partition).</summary>
public interface IPartitionRegistrar
{
    /// <summary>Registers the partition; registering one that exists succeeds without change.</summary>
    Task RegisterAsync(string exportId, string accountId, string region, CancellationToken cancellationToken);
}
