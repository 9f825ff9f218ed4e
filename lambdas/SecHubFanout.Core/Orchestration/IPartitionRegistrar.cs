namespace SecHubFanout.Core.Orchestration;

/// <summary>Makes a finished (account, Region) of an export queryable (a Glue partition).</summary>
public interface IPartitionRegistrar
{
    /// <summary>Registers the partition of the export that ends at <paramref name="exportEnd"/> (its date is a key segment); registering one that exists succeeds without change.</summary>
    Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken);
}
