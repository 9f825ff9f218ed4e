using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

internal sealed class MemoryManifestStore : IManifestStore
{
    private int _failuresLeft;

    public ConcurrentQueue<(string ExportId, byte[] Json)> Writes { get; } = new();

    public void FailNext(int times) => _failuresLeft = times;

    public Task<string> WriteAsync(string exportId, ReadOnlyMemory<byte> manifestJson, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new IOException("manifest store unavailable");
        }

        Writes.Enqueue((exportId, manifestJson.ToArray()));
        return Task.FromResult($"s3://findings-bucket/manifests/{exportId}.json");
    }
}
