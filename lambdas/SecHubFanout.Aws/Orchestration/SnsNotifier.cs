using Polly;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>Mails through an SNS topic: <c>Publish</c> (query protocol) with <c>TopicArn</c>, <c>Subject</c> and <c>Message</c>.</summary>
public sealed class SnsNotifier : INotifier
{
    private readonly QueryProtocolClient _client;
    private readonly string _topicArn;
    private readonly string _region;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the notifier for a topic ARN (its Region is taken from the ARN).</summary>
    public SnsNotifier(QueryProtocolClient client, string topicArn, ResiliencePipeline retry)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _topicArn = topicArn;
        _region = Arns.Region(topicArn, "sns");
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public async Task PublishAsync(string subject, string body, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] form = [new("TopicArn", _topicArn), new("Subject", subject), new("Message", body)];
        var context = new AwsCallContext(AwsService.Sns, _region, "Publish");
        await _retry.ExecuteAsync(async ct => await _client.InvokeAsync(context, form, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
