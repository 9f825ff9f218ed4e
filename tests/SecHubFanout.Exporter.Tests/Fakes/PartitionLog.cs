using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Collects the partitions the coordinator makes queryable.</summary>
internal sealed class PartitionLog : IPartitionRegistrar
{
    public ConcurrentQueue<string> Registered { get; } = new();

    public Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken)
    {
        Registered.Enqueue($"{accountId}/{region}");
        return Task.CompletedTask;
    }
}
