using Polly;
using Polly.Retry;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Core.Resilience;

/// <summary>The one retry policy of the project: full-jitter exponential backoff on throttling and transient faults only.</summary>
public static class RetryPipeline
{
    /// <summary>Builds the pipeline; <paramref name="onRetry"/> sees each retried failure (for counters and for slowing a rate gate).</summary>
    public static ResiliencePipeline Create(RetryOptions options, TimeProvider timeProvider, Action<ServiceCallException>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ServiceCallException>(e => e.IsRetryable),
                MaxRetryAttempts = options.MaxRetries,
                MaxDelay = options.MaxDelay,
                DelayGenerator = args => new ValueTask<TimeSpan?>(FullJitter(options, args.AttemptNumber)),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is ServiceCallException e)
                    {
                        onRetry?.Invoke(e);
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <summary>Full jitter: a uniform delay between zero and the exponential ceiling of this attempt (AWS Architecture Blog, "Exponential Backoff And Jitter").</summary>
    public static TimeSpan FullJitter(RetryOptions options, int attemptNumber)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
