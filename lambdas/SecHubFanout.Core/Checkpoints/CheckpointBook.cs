namespace SecHubFanout.Core.Checkpoints;

/// <summary>
/// Holds a Region's current checkpoint while its windows run concurrently, and hands each advance to the host one at a time,
/// in order, so a persisted checkpoint is never older than one persisted before it.
/// </summary>
internal sealed class CheckpointBook : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Func<ExportCheckpoint, CancellationToken, Task>? _saved;
    private ExportCheckpoint _current;

    public CheckpointBook(ExportCheckpoint initial, Func<ExportCheckpoint, CancellationToken, Task>? saved)
    {
        _current = initial;
        _saved = saved;
    }

    /// <summary>The latest checkpoint (it may not have reached the host yet if the host's callback failed).</summary>
    public ExportCheckpoint Current => Volatile.Read(ref _current);

    public WindowCheckpoint this[int index] => Current.Windows[index];

    /// <summary>Records a window's new state and passes the whole checkpoint to the host.</summary>
    public async Task AdvanceAsync(WindowCheckpoint window, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var windows = Current.Windows.ToArray();
            windows[window.Index] = window;
            var next = Current with { Windows = windows };
            Volatile.Write(ref _current, next);
            if (_saved is not null)
            {
                await _saved(next, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
