using System.Text.Json.Serialization;
using SecHubFanout.Core.Streaming;

namespace SecHubFanout.Coordinator;

/// <summary>The event Lambda's SQS event source mapping invokes a function with: a batch of messages (only the fields used here).</summary>
/// <param name="Records">The messages.</param>
public sealed record SqsBatch([property: JsonPropertyName("Records")] IReadOnlyList<SqsRecord>? Records);

/// <summary>One SQS message of a batch.</summary>
/// <param name="MessageId">Its ID, which a partial batch response names.</param>
/// <param name="Body">Its body: here an EventBridge event, as the rule's SQS target delivered it.</param>
public sealed record SqsRecord(
    [property: JsonPropertyName("messageId")] string? MessageId,
    [property: JsonPropertyName("body")] string? Body);

/// <summary>A partial batch response (function response type <c>ReportBatchItemFailures</c>): only these messages return to the queue.</summary>
/// <param name="BatchItemFailures">The messages not processed.</param>
public sealed record SqsBatchResponse([property: JsonPropertyName("batchItemFailures")] IReadOnlyList<SqsBatchItemFailure> BatchItemFailures);

/// <summary>One message not processed.</summary>
/// <param name="ItemIdentifier">Its message ID.</param>
public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

/// <summary>Source-generated JSON of the stream writer's input and output.</summary>
[JsonSerializable(typeof(SqsBatch))]
[JsonSerializable(typeof(SqsBatchResponse))]
internal sealed partial class StreamJsonContext : JsonSerializerContext
{
}

/// <summary>Source-generated JSON of the stream writer's failure lines.</summary>
[JsonSerializable(typeof(StreamFailure))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class StreamLogJsonContext : JsonSerializerContext
{
}
