using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

/// <summary>Records starts, tracks how many run at once, and fails the accounts it is told to.</summary>
internal sealed class RecordingExportStarter : IExportStarter
{
    private readonly HashSet<string> _failing;
    private readonly TimeSpan _hold;
    private int _running;
    private int _maxRunning;

    public RecordingExportStarter(TimeSpan hold = default, params string[] failingAccounts)
    {
        _hold = hold;
        _failing = [.. failingAccounts];
    }

    public ConcurrentQueue<MemberExecution> Started { get; } = new();

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public Func<MemberExecution, Task>? OnStart { get; set; }

    public async Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while ((seen = Volatile.Read(ref _maxRunning)) < now && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        try
        {
            if (OnStart is not null)
            {
                await OnStart(execution);
            }

            if (_hold > TimeSpan.Zero)
            {
                await Task.Delay(_hold, cancellationToken);
            }

            if (_failing.Contains(execution.AccountId))
            {
                throw new InvalidOperationException($"AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::{execution.AccountId}:role/SecHubFanoutTrigger");
            }

            Started.Enqueue(execution);
            return $"arn:aws:states:eu-west-1:{execution.AccountId}:execution:sechub-fanout-exporter:{execution.ExecutionName}";
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
