namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>An IProgress that records reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
internal sealed class SyncProgress<T> : IProgress<T>
{
    private readonly Lock _lock = new();
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(T value)
    {
        lock (_lock)
        {
            _reports.Add(value);
        }
    }
}
