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

/// <summary>The organization's accounts, as the StackSet would list them.</summary>
internal sealed class FixedAccounts(params string[] accounts) : IAccountDirectory
{
    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(accounts);
}

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

/// <summary>Collects the partitions the coordinator makes queryable.</summary>
internal sealed class PartitionLog : IPartitionRegistrar
{
    public ConcurrentQueue<string> Registered { get; } = new();

    public Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken)
    {
        Registered.Enqueue($"{accountId}/{region}");
        return Task.CompletedTask;
    }
}
