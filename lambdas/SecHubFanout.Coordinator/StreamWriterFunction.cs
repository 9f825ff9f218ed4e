using System.Text;
using System.Text.Json;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Aws.S3;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Resilience;
using SecHubFanout.Core.Streaming;

namespace SecHubFanout.Coordinator;

/// <summary>
/// The stream writer Lambda (handler <c>SecHubFanout.Coordinator::SecHubFanout.Coordinator.StreamWriterFunction::HandleAsync</c>): takes a
/// batch from the stream queue (each message one <c>Security Hub Findings - Imported</c> event), writes it with
/// <see cref="StreamBatchWriter"/> and answers with a partial batch response naming only the messages not written. A message that is
/// unusable keeps failing, so the queue's redrive policy moves it to the dead-letter queue; its siblings are written and deleted.
/// </summary>
public sealed class StreamWriterFunction
{
    private readonly Lazy<Task<StreamBatchWriter>> _writer;
    private readonly TimeSpan _budget;
    private readonly TextWriter _log;

    /// <summary>Wires the real dependencies from the environment (validated here, at cold start).</summary>
    public StreamWriterFunction()
    {
        var options = CentralOptions.FromEnvironment(Environment.GetEnvironmentVariable);
        var ownAccount = options.FindingsBucketOwner
            ?? throw new InvalidOperationException("FINDINGS_BUCKET_OWNER is not set: the stream writer needs the central account's ID. The central stack sets it; redeploy it.");
        _writer = new(async () =>
        {
            var clients = await AwsClients.CreateAsync(new AwsClientOptions { Region = options.Region }, CancellationToken.None).ConfigureAwait(false);
            var retry = RetryPipeline.Create(new RetryOptions(), TimeProvider.System);
            var sink = new S3PartSink(clients.CreateS3Client(), new S3PartSinkOptions
            {
                BucketName = options.FindingsBucket,
                KmsKeyId = options.FindingsKmsKeyArn,
                ExpectedBucketOwner = ownAccount,
            });
            var registrar = new GluePartitionRegistrar(clients.Json, options.GlueDatabase, options.GlueTable, options.FindingsBucket, options.Region, retry);
            return new StreamBatchWriter(new ParquetPartFormat(), sink, new TempFileSpool(), registrar, new StreamWriterOptions { OwnAccountId = ownAccount });
        });
        _budget = options.HandlerBudget;
        _log = Console.Out;
    }

    /// <summary>Uses the given writer, and writes failure lines to <paramref name="log"/> (default standard output).</summary>
    public StreamWriterFunction(StreamBatchWriter writer, TextWriter? log = null, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = new(Task.FromResult(writer));
        _log = log ?? Console.Out;
        _budget = budget ?? CentralOptions.BudgetFor(CentralOptions.DefaultCoordinatorTimeout);
    }

    /// <summary>The Lambda handler: an SQS batch event in, a <see cref="SqsBatchResponse"/> out.</summary>
    /// <exception cref="InvalidOperationException">The input is not an SQS batch event (the whole batch is then retried).</exception>
    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var cts = new CancellationTokenSource(_budget);
        SqsBatch? batch;
        try
        {
            batch = await HandlerJson.ReadAsync(input, StreamJsonContext.Default.SqsBatch, cts.Token).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException("The stream writer's input is not an SQS batch event ({\"Records\": [...]}): " + e.Message, e);
        }

        var records = batch?.Records ?? [];
        if (records.Any(r => string.IsNullOrEmpty(r.MessageId)))
        {
            throw new InvalidOperationException("An SQS record has no messageId, so a partial batch response could not name it: the stream writer must be invoked by an SQS event source mapping.");
        }

        var messages = records.Select(r => new StreamMessage(r.MessageId!, Encoding.UTF8.GetBytes(r.Body ?? string.Empty))).ToList();
        var writer = await _writer.Value.ConfigureAwait(false);
        var result = await writer.WriteAsync(messages, cts.Token).ConfigureAwait(false);
        foreach (var failure in result.Failures)
        {
            // The reason names the event, never the finding's content.
            await _log.WriteLineAsync(JsonSerializer.Serialize(failure, StreamLogJsonContext.Default.StreamFailure)).ConfigureAwait(false);
        }

        return HandlerJson.Write(new SqsBatchResponse([.. result.Failures.Select(f => new SqsBatchItemFailure(f.MessageId))]), StreamJsonContext.Default.SqsBatchResponse);
    }
}
