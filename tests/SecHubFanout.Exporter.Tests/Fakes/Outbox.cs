using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Collects the emails the coordinator sends.</summary>
internal sealed class Outbox : INotifier
{
    public ConcurrentQueue<(string Subject, string Body)> Sent { get; } = new();

    public Task PublishAsync(string subject, string body, CancellationToken cancellationToken)
    {
        Sent.Enqueue((subject, body));
        return Task.CompletedTask;
    }
}
