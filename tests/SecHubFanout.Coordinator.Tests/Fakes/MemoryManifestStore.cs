using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

/// <summary>Keeps every manifest written (read from the stream to its end), and fails the next writes when told to.</summary>
internal sealed class MemoryManifestStore : IManifestStore
{
    private int _failuresLeft;

    public ConcurrentQueue<(string ExportId, byte[] Json)> Writes { get; } = new();

    public void FailNext(int times) => _failuresLeft = times;

    public async Task<string> WriteAsync(string exportId, Stream manifestJson, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new IOException("manifest store unavailable");
        }

        using var copy = new MemoryStream();
        await manifestJson.CopyToAsync(copy, cancellationToken);
        Writes.Enqueue((exportId, copy.ToArray()));
        return $"s3://findings-bucket/manifests/{exportId}.json";
    }
}
