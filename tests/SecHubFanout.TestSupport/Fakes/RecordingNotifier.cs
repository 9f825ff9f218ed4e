using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.TestSupport.Fakes;

/// <summary>Keeps every message, and tells completion emails, immediate failure emails and failure digests apart by their subjects.</summary>
public sealed class RecordingNotifier : INotifier
{
    public ConcurrentQueue<(string Subject, string Body)> Messages { get; } = new();

    public IReadOnlyList<(string Subject, string Body)> Completions => Messages.Where(m => IsCompletion(m.Subject)).ToList();

    /// <summary>The emails about one failed (account, Region) or account, sent at once.</summary>
    public IReadOnlyList<(string Subject, string Body)> Failures => Messages.Where(m => !IsCompletion(m.Subject) && !IsDigest(m.Subject) && m.Subject.EndsWith(" failed", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<(string Subject, string Body)> Digests => Messages.Where(m => IsDigest(m.Subject)).ToList();

    public Task PublishAsync(string subject, string body, CancellationToken cancellationToken)
    {
        Messages.Enqueue((subject, body));
        return Task.CompletedTask;
    }

    private static bool IsCompletion(string subject) => subject.Contains(" complete: ", StringComparison.Ordinal) || subject.Contains(" finished: ", StringComparison.Ordinal);

    private static bool IsDigest(string subject) => subject.Contains(" more account-Regions failed (", StringComparison.Ordinal);
}
