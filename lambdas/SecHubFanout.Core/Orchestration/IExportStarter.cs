namespace SecHubFanout.Core.Orchestration;

/// <summary>Reaches member accounts' exporters (through each member's trigger role).</summary>
public interface IExportStarter
{
    /// <summary>Opens a session in the member account (one role assumption serves every call); throws, saying why, when the account cannot be reached.</summary>
    Task<IMemberSession> OpenAsync(string accountId, CancellationToken cancellationToken);
}

/// <summary>What the launcher does in one member account.</summary>
public interface IMemberSession : IAsyncDisposable
{
    /// <summary>The Regions enabled in the member account (its own DescribeRegions, so opt-in Regions enabled only there count).</summary>
    Task<IReadOnlyList<string>> EnabledRegionsAsync(CancellationToken cancellationToken);

    /// <summary>Starts the execution and returns its ARN; throws when it cannot be started (the message says why).</summary>
    Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken);

    /// <summary>Stops an execution a restart replaces; an execution that already ended is not an error.</summary>
    Task StopAsync(string executionArn, string cause, CancellationToken cancellationToken);
}
