using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Passes parts to the real sink, and while armed dies (like a killed process) after letting a number of parts through.</summary>
internal sealed class CrashingSink(IPartSink inner, Func<bool> armed, int partsBeforeCrash) : IPartSink
{
    private int _puts;

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        if (armed() && Interlocked.Increment(ref _puts) > partsBeforeCrash)
        {
            throw new IOException($"simulated crash while storing {key}");
        }

        await inner.PutAsync(key, content, contentType, cancellationToken);
    }

    public string Describe(string key) => inner.Describe(key);
}
