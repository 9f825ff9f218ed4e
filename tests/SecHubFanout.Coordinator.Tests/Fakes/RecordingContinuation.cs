using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

/// <summary>Keeps the launches handed on to a next invocation, so the test can run them itself.</summary>
internal sealed class RecordingContinuation : ILaunchContinuation
{
    public ConcurrentQueue<LaunchRequest> Requests { get; } = new();

    public Task ContinueAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.CompletedTask;
    }
}
