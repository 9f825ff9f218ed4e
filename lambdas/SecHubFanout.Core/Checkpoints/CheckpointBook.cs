using SecHubFanout.Core.Planning;

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

    /// <summary>Windows in the checkpoint, split-off ones included.</summary>
    public int Count => Current.Windows.Count;

    /// <summary>Records a window's new state and passes the whole checkpoint to the host.</summary>
    public async Task AdvanceAsync(WindowCheckpoint window, CancellationToken cancellationToken) =>
        await UpdateAsync(window, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Records a split in one step: <paramref name="narrowed"/> (the window, now ending earlier) and a new window from one millisecond
    /// after it up to <paramref name="restEnd"/>, appended under the next index, so no saved checkpoint has a gap or an overlap.
    /// Returns the new window.
    /// </summary>
    public async Task<WindowCheckpoint> SplitAsync(WindowCheckpoint narrowed, DateTimeOffset restEnd, CancellationToken cancellationToken) =>
        (await UpdateAsync(narrowed, restEnd, cancellationToken).ConfigureAwait(false))!;

    private async Task<WindowCheckpoint?> UpdateAsync(WindowCheckpoint window, DateTimeOffset? restEnd, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var windows = new List<WindowCheckpoint>(Current.Windows);
            windows[window.Index] = window;
            WindowCheckpoint? added = null;
            if (restEnd is { } end)
            {
                added = WindowCheckpoint.NotStarted(new UpdatedAtWindow(windows.Count, window.End + Instants.Tick, end)) with { SplitOff = true };
                windows.Add(added);
            }

            var next = Current with { Version = ExportCheckpoint.CurrentVersion, Windows = windows, Revision = Current.Revision + 1 };
            Volatile.Write(ref _current, next);
            if (_saved is not null)
            {
                await _saved(next, cancellationToken).ConfigureAwait(false);
            }

            return added;
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
