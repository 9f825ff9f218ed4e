namespace SecHubFanout.Core.Orchestration;

/// <summary>Starts one member account's exporter state machine.</summary>
public interface IExportStarter
{
    /// <summary>Starts the execution and returns its ARN; throws when the account cannot be started (the message says why).</summary>
    Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken);
}
