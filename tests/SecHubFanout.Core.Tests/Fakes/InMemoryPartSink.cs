using System.Collections.Concurrent;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>A sink that keeps objects in memory (a put replaces the object whole) and can fail on demand.</summary>
internal sealed class InMemoryPartSink : IPartSink
{
    private int _puts;

    public ConcurrentDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>Every key put, in order, with repeats.</summary>
    public ConcurrentQueue<string> PutLog { get; } = new();

    /// <summary>Called with each key and the put's number (1-based) before storing; may throw to simulate a failed store.</summary>
    public Action<string, int>? BeforePut { get; set; }

    public int Puts => Volatile.Read(ref _puts);

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _puts);
        BeforePut?.Invoke(key, number);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Objects[key] = copy.ToArray();
        PutLog.Enqueue(key);
    }

    public string Describe(string key) => $"memory://{key}";
}
