using System.Collections.Concurrent;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Stores the first parts in memory, then hangs on every later put until it is cancelled (a stuck upload).</summary>
internal sealed class StallingSink(int partsBeforeStall) : IPartSink
{
    private int _admitted;

    public ConcurrentDictionary<string, byte[]> Stored { get; } = new(StringComparer.Ordinal);

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        // Counted on entry, not on the stored count: two windows sealing parts at once must not both get through.
        if (Interlocked.Increment(ref _admitted) > partsBeforeStall)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Stored[key] = copy.ToArray();
    }

    public string Describe(string key) => "memory://" + key;
}
