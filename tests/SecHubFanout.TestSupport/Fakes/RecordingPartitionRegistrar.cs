using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.TestSupport.Fakes;

/// <summary>Collects the partitions the coordinator makes queryable.</summary>
public sealed class RecordingPartitionRegistrar : IPartitionRegistrar
{
    public ConcurrentQueue<(string ExportId, string AccountId, string Region)> Registered { get; } = new();

    public Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken)
    {
        Registered.Enqueue((exportId, accountId, region));
        return Task.CompletedTask;
    }
}
