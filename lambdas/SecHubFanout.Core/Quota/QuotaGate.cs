using System.Threading.RateLimiting;

namespace SecHubFanout.Core.Quota;

/// <summary>
/// The token bucket in front of one account's GetFindings quota in one Region: every page call takes a token first. It refills on a
/// <see cref="TimeProvider"/> timer, and after a throttling answer it empties and adds nothing for a pause, then resumes its rate.
/// </summary>
public sealed class QuotaGate : IDisposable
{
    // Real timers cannot tick much faster than this, so high rates add several tokens per tick instead.
    private static readonly TimeSpan s_shortestTick = TimeSpan.FromMilliseconds(20);

    private readonly TokenBucketRateLimiter _bucket;
    private readonly ITimer _timer;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _throttlePause;
    private readonly Lock _pauseLock = new();
    private long _pausedUntil;
    private long _throttles;

    /// <summary>Creates a full bucket.</summary>
    public QuotaGate(QuotaOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _timeProvider = timeProvider;
        _throttlePause = options.ThrottlePause;

        var tokensPerTick = Math.Max(1, (int)Math.Round(options.RequestsPerSecond * s_shortestTick.TotalSeconds));
        var tick = TimeSpan.FromSeconds(tokensPerTick / options.RequestsPerSecond);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = Math.Min(tokensPerTick, options.Burst),
            ReplenishmentPeriod = tick,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _pausedUntil = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static state => ((QuotaGate)state!).OnTick(), this, tick, tick);
    }

    /// <summary>How many throttling answers were reported.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>Tokens available right now (for tests and diagnostics).</summary>
    public long AvailableTokens => _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>Waits for one token; callers queue in arrival order.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        using var lease = await _bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("The quota gate refused a request (it is disposed).");
        }
    }

    /// <summary>Tells the gate the service throttled a call: it drops its tokens and adds none until the pause is over.</summary>
    public void ReportThrottle()
    {
        Interlocked.Increment(ref _throttles);
        lock (_pauseLock)
        {
            var until = _timeProvider.GetTimestamp() + (long)(_throttlePause.TotalSeconds * _timeProvider.TimestampFrequency);
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        // The service's bucket is empty, so tokens saved up here would only buy more throttles.
        var available = AvailableTokens;
        if (available > 0)
        {
            _bucket.AttemptAcquire((int)Math.Min(available, int.MaxValue)).Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _timer.Dispose();
        _bucket.Dispose();
    }

    private void OnTick()
    {
        long pausedUntil;
        lock (_pauseLock)
        {
            pausedUntil = _pausedUntil;
        }

        if (_timeProvider.GetTimestamp() >= pausedUntil)
        {
            _bucket.TryReplenish();
        }
    }
}
