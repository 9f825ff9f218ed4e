namespace SecHubFanout.Emulator.Hosting;

/// <summary>A token bucket on the injected clock (System.Threading.RateLimiting's limiters run on real timers, which fake clocks cannot drive).</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public TokenBucket(TimeProvider time, double ratePerSecond, int burst)
    {
        _time = time;
        _rate = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _rate));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
