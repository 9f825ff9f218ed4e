using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>
/// Stands in for the members' trigger roles and Step Functions: records each member start so the test can run that member's Regions,
/// and cannot open a session in the accounts it is told are unreachable (their trigger role cannot be assumed).
/// </summary>
internal sealed class MemberExecutions(IReadOnlyList<string> enabledRegions, params string[] unreachable) : IExportStarter
{
    public ConcurrentQueue<MemberExecution> Started { get; } = new();

    public ConcurrentQueue<string> Stopped { get; } = new();

    public Task<IMemberSession> OpenAsync(string accountId, CancellationToken cancellationToken) =>
        unreachable.Contains(accountId)
            ? throw new InvalidOperationException($"cannot assume arn:aws:iam::{accountId}:role/SecHubFanoutTrigger (AccessDenied: not authorized to perform sts:AssumeRole)")
            : Task.FromResult<IMemberSession>(new Session(this, accountId));

    private sealed class Session(MemberExecutions owner, string accountId) : IMemberSession
    {
        public Task<IReadOnlyList<string>> EnabledRegionsAsync(CancellationToken cancellationToken) => Task.FromResult(owner.EnabledRegions);

        public Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
        {
            owner.Started.Enqueue(execution);
            return Task.FromResult($"arn:aws:states:us-east-1:{accountId}:execution:sechub-fanout-exporter:{execution.ExecutionName}");
        }

        public Task StopAsync(string executionArn, string cause, CancellationToken cancellationToken)
        {
            owner.Stopped.Enqueue(executionArn);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private IReadOnlyList<string> EnabledRegions => enabledRegions;
}
