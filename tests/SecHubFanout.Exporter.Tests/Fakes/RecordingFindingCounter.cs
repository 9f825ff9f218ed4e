using System.Collections.Concurrent;
using SecHubFanout.Core.Export;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Keeps the latest count per (export, Region) like the SSM parameters would, and every value published.</summary>
internal sealed class RecordingFindingCounter : IFindingCounter
{
    public ConcurrentDictionary<string, long> Latest { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Name, long Findings)> Published { get; } = new();

    public Task PublishAsync(string exportId, string region, long findings, CancellationToken cancellationToken)
    {
        var name = $"{exportId}/{region}";
        Latest[name] = findings;
        Published.Enqueue((name, findings));
        return Task.CompletedTask;
    }
}
