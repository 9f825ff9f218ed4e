using System.Collections.Concurrent;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

/// <summary>
/// Stands in for the member accounts: opens a session per account that records every call (open, Regions listed, stop, start,
/// close) in order, tracks how many starts run at once, and fails the accounts it is told to at open, Region listing, stop or start.
/// </summary>
internal sealed class RecordingExportStarter : IExportStarter
{
    private readonly TimeSpan _hold;
    private int _running;
    private int _maxRunning;
    private int _openSessions;

    /// <summary>Creates the starter; <paramref name="failingAccounts"/> fail at start (StartExecution denied).</summary>
    public RecordingExportStarter(TimeSpan hold = default, params string[] failingAccounts)
    {
        _hold = hold;
        FailStart = [.. failingAccounts];
    }

    /// <summary>Accounts whose session cannot be opened (the trigger role cannot be assumed).</summary>
    public HashSet<string> FailOpen { get; init; } = [];

    /// <summary>Accounts whose StartExecution fails.</summary>
    public HashSet<string> FailStart { get; init; }

    /// <summary>Accounts whose enabled Regions cannot be listed.</summary>
    public HashSet<string> FailRegions { get; init; } = [];

    /// <summary>Accounts whose StopExecution fails.</summary>
    public HashSet<string> FailStop { get; init; } = [];

    /// <summary>The Regions each account has enabled (else <see cref="DefaultEnabledRegions"/>).</summary>
    public Dictionary<string, string[]> EnabledRegions { get; init; } = [];

    /// <summary>The Regions an account not in <see cref="EnabledRegions"/> has enabled.</summary>
    public string[] DefaultEnabledRegions { get; init; } = ["eu-west-1", "us-east-1"];

    /// <summary>Every call, in order: "open A", "regions A", "stop A arn", "start A name", "close A".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<MemberExecution> Started { get; } = new();

    public ConcurrentQueue<(string AccountId, string ExecutionArn, string Cause)> Stopped { get; } = new();

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    /// <summary>Sessions opened and not disposed yet.</summary>
    public int OpenSessions => Volatile.Read(ref _openSessions);

    /// <summary>Runs before each start (for example to look at the ledger, or to move a fake clock on).</summary>
    public Func<MemberExecution, Task>? OnStart { get; set; }

    public Task<IMemberSession> OpenAsync(string accountId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"open {accountId}");
        if (FailOpen.Contains(accountId))
        {
            throw new InvalidOperationException($"cannot assume arn:aws:iam::{accountId}:role/SecHubFanoutTrigger (AccessDenied: not authorized to perform sts:AssumeRole)");
        }

        Interlocked.Increment(ref _openSessions);
        return Task.FromResult<IMemberSession>(new Session(this, accountId));
    }

    private sealed class Session(RecordingExportStarter owner, string accountId) : IMemberSession
    {
        private int _disposed;

        public Task<IReadOnlyList<string>> EnabledRegionsAsync(CancellationToken cancellationToken)
        {
            owner.Calls.Enqueue($"regions {accountId}");
            if (owner.FailRegions.Contains(accountId))
            {
                throw new InvalidOperationException("UnauthorizedOperation: not authorized to perform ec2:DescribeRegions");
            }

            return Task.FromResult<IReadOnlyList<string>>(owner.EnabledRegions.TryGetValue(accountId, out var regions) ? regions : owner.DefaultEnabledRegions);
        }

        public async Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref owner._running);
            int seen;
            while ((seen = Volatile.Read(ref owner._maxRunning)) < now && Interlocked.CompareExchange(ref owner._maxRunning, now, seen) != seen)
            {
            }

            try
            {
                owner.Calls.Enqueue($"start {accountId} {execution.ExecutionName}");
                if (owner.OnStart is not null)
                {
                    await owner.OnStart(execution);
                }

                if (owner._hold > TimeSpan.Zero)
                {
                    await Task.Delay(owner._hold, cancellationToken);
                }

                if (owner.FailStart.Contains(accountId))
                {
                    throw new InvalidOperationException($"AccessDenied: not authorized to perform states:StartExecution in account {accountId}");
                }

                owner.Started.Enqueue(execution);
                return $"arn:aws:states:eu-west-1:{accountId}:execution:sechub-fanout-exporter:{execution.ExecutionName}";
            }
            finally
            {
                Interlocked.Decrement(ref owner._running);
            }
        }

        public Task StopAsync(string executionArn, string cause, CancellationToken cancellationToken)
        {
            owner.Calls.Enqueue($"stop {accountId} {executionArn}");
            if (owner.FailStop.Contains(accountId))
            {
                throw new InvalidOperationException("AccessDenied: not authorized to perform states:StopExecution");
            }

            owner.Stopped.Enqueue((accountId, executionArn, cause));
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Calls.Enqueue($"close {accountId}");
                Interlocked.Decrement(ref owner._openSessions);
            }

            return ValueTask.CompletedTask;
        }
    }
}
