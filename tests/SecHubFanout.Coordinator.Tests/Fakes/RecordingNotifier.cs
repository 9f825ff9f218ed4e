using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

internal sealed class RecordingNotifier : INotifier
{
    public ConcurrentQueue<(string Subject, string Body)> Messages { get; } = new();

    public IReadOnlyList<(string Subject, string Body)> Completions => Messages.Where(m => m.Subject.Contains(" complete: ", StringComparison.Ordinal) || m.Subject.Contains(" finished: ", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<(string Subject, string Body)> LaunchFailures => Messages.Where(m => m.Subject.Contains(": starting account ", StringComparison.Ordinal) && m.Subject.EndsWith(" failed", StringComparison.Ordinal)).ToList();

    public Task PublishAsync(string subject, string body, CancellationToken cancellationToken)
    {
        Messages.Enqueue((subject, body));
        return Task.CompletedTask;
    }
}
