using Polly;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Core.Sinks;

/// <summary>
/// Stores parts through another sink, retrying throttled and transient failures with the engine's jittered backoff (keys are
/// deterministic, so a rewrite is safe): a burst of S3 errors slows a Region down instead of failing it. What still fails ends in
/// a <see cref="PartStoreException"/> naming the part.
/// </summary>
public sealed class RetryingPartSink : IPartSink
{
    private readonly IPartSink _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly int _maxRetries;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="pipeline"/> is the engine's retry pipeline with <paramref name="maxRetries"/> retries.</summary>
    public RetryingPartSink(IPartSink inner, ResiliencePipeline pipeline, int maxRetries)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(pipeline);
        _inner = inner;
        _pipeline = pipeline;
        _maxRetries = maxRetries;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var start = content.Position;
        try
        {
            await _pipeline.ExecuteAsync(
                async ct =>
                {
                    content.Position = start; // a failed attempt may have read part of it
                    await _inner.PutAsync(key, content, contentType, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceCallException e)
        {
            throw new PartStoreException(_inner.Describe(key), e.IsRetryable ? _maxRetries : 0, e);
        }
    }

    /// <inheritdoc/>
    public string Describe(string key) => _inner.Describe(key);
}
