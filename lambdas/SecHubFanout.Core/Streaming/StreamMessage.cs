namespace SecHubFanout.Core.Streaming;

/// <summary>One message of a delivered batch: its ID (what a partial failure names) and its body, one EventBridge event as JSON.</summary>
/// <param name="MessageId">The transport's ID of the message (SQS <c>messageId</c>).</param>
/// <param name="Body">The event, UTF-8 JSON exactly as delivered.</param>
public sealed record StreamMessage(string MessageId, ReadOnlyMemory<byte> Body);
