using System.Collections.Concurrent;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Coordinator.Tests.Fakes;

/// <summary>Keeps parts in memory (a put replaces the object whole) and refuses keys that <see cref="Refuse"/> matches, like a failed S3 put.</summary>
internal sealed class MemoryPartSink : IPartSink
{
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public Func<string, bool> Refuse { get; set; } = _ => false;

    public int Puts;

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Puts);
        if (Refuse(key))
        {
            throw new IOException($"simulated S3 failure storing {key}");
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Objects[key] = copy.ToArray();
    }

    public string Describe(string key) => "memory://" + key;
}
