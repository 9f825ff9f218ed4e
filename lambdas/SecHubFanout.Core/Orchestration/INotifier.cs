namespace SecHubFanout.Core.Orchestration;

/// <summary>Sends a message people read (the SNS topic's email subscriptions).</summary>
public interface INotifier
{
    /// <summary>Publishes one message with a short subject line.</summary>
    Task PublishAsync(string subject, string body, CancellationToken cancellationToken);
}
