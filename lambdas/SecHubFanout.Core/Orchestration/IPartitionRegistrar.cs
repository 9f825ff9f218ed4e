namespace SecHubFanout.Core.Orchestration;

/// <summary>Makes a finished (account, Region) of an export queryable (a Glue partition).</summary>
public interface IPartitionRegistrar
{
    /// <summary>Registers the partition of the export that ends at <paramref name="exportEnd"/> (its date is a key segment); registering one that exists succeeds without change.</summary>
    Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken);

    /// <summary>Registers the partition of an export of <paramref name="api"/> (GetFindingsV2 exports go to the OCSF table); registrars that know only ASFF refuse V2.</summary>
    Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, Queries.FindingsApi api, CancellationToken cancellationToken) =>
        api == Queries.FindingsApi.V1
            ? RegisterAsync(exportId, accountId, region, exportEnd, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} registers only GetFindings (ASFF) partitions.");
}
