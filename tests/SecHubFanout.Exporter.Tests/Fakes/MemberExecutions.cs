using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Stands in for Step Functions: records each member start so the test can run that member's Regions, and refuses the accounts it is told to.</summary>
internal sealed class MemberExecutions(params string[] unreachable) : IExportStarter
{
    public ConcurrentQueue<MemberExecution> Started { get; } = new();

    public Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
    {
        if (unreachable.Contains(execution.AccountId))
        {
            throw new InvalidOperationException($"AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::{execution.AccountId}:role/SecHubFanoutTrigger");
        }

        Started.Enqueue(execution);
        return Task.FromResult($"arn:aws:states:us-east-1:{execution.AccountId}:execution:sechub-fanout-exporter:{execution.ExecutionName}");
    }
}
