using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace SecHubFanout.Core.Quota;

/// <summary>
/// The token bucket in front of one account's GetFindings quota in one Region: every page call takes a token first. After a
/// throttling answer it empties and adds nothing for a pause, then resumes its rate; it never refuses for good.
/// </summary>
/// <remarks>
/// Built on <see cref="ConcurrencyLimiter"/> (permits = tokens, queued waiters served oldest first): a spent token is a lease kept
/// until a <see cref="TimeProvider"/> timer returns it. <see cref="TokenBucketRateLimiter"/> measures elapsed time with
/// <c>Stopwatch</c> even when replenished by hand, so it cannot follow a fake clock; this one only moves when the timer ticks.
/// </remarks>
public sealed class QuotaGate : IDisposable
{
    // Real timers cannot tick much faster than this, so high rates return several tokens per tick instead.
    private static readonly TimeSpan s_shortestTick = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrencyLimiter _permits;
    private readonly ConcurrentQueue<RateLimitLease> _spent = new();
    private readonly ITimer _timer;
    private readonly TimeProvider _timeProvider;
    private readonly long _pauseTicks;
    private readonly int _tokensPerTick;
    private long _pausedUntil;
    private long _throttles;

    /// <summary>Creates a full bucket.</summary>
    public QuotaGate(QuotaOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _timeProvider = timeProvider;
        _pauseTicks = (long)(options.ThrottlePause.TotalSeconds * timeProvider.TimestampFrequency);
        _tokensPerTick = Math.Max(1, (int)Math.Round(options.RequestsPerSecond * s_shortestTick.TotalSeconds));
        var tick = TimeSpan.FromSeconds(_tokensPerTick / options.RequestsPerSecond);
        _permits = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Burst,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _pausedUntil = long.MinValue;
        _timer = timeProvider.CreateTimer(static state => ((QuotaGate)state!).OnTick(), this, tick, tick);
    }

    /// <summary>How many throttling answers were reported.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>Tokens available right now.</summary>
    public long AvailableTokens => _permits.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>Waits for one token; callers queue in arrival order.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = await _permits.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new ObjectDisposedException(nameof(QuotaGate), "The quota gate is disposed.");
        }

        _spent.Enqueue(lease);
    }

    /// <summary>Takes a token if one is available now, without waiting (never ahead of queued callers).</summary>
    public bool TryAcquire()
    {
        var lease = _permits.AttemptAcquire(1);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return false;
        }

        _spent.Enqueue(lease);
        return true;
    }

    /// <summary>Tells the gate the service throttled a call: it drops its tokens and adds none until the pause is over.</summary>
    public void ReportThrottle()
    {
        Interlocked.Increment(ref _throttles);
        var until = _timeProvider.GetTimestamp() + _pauseTicks;
        long seen;
        while (until > (seen = Interlocked.Read(ref _pausedUntil)) && Interlocked.CompareExchange(ref _pausedUntil, until, seen) != seen)
        {
        }

        // The service's bucket is empty, so tokens saved up here would only buy more throttles.
        while (TryAcquire())
        {
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _timer.Dispose();
        _permits.Dispose();
        while (_spent.TryDequeue(out var lease))
        {
            lease.Dispose();
        }
    }

    private void OnTick()
    {
        if (_timeProvider.GetTimestamp() < Interlocked.Read(ref _pausedUntil))
        {
            return;
        }

        for (var i = 0; i < _tokensPerTick && _spent.TryDequeue(out var lease); i++)
        {
            lease.Dispose();
        }
    }
}
