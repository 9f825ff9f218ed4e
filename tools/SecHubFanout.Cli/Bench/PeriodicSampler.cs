namespace SecHubFanout.Cli.Bench;

/// <summary>Calls a sample action now, then on a timer until stopped, and once more when stopped (so a phase's last moment counts).</summary>
internal sealed class PeriodicSampler : IAsyncDisposable
{
    private readonly Action _sample;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PeriodicSampler(TimeSpan every, Action sample)
    {
        _sample = sample;
        _sample();
        _loop = Task.Run(() => LoopAsync(every));
    }

    /// <summary>Stops the timer and takes the last sample.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _sample();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                _sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: StopAsync takes the last sample.
        }
    }
}
