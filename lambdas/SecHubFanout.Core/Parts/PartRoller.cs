using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Parts;

/// <summary>
/// The one open part of a window: findings are encoded into a spool as pages arrive; the part is sealed and stored whole at a page
/// boundary (when another full page would not fit, when the window ends, or when the time budget ends).
/// </summary>
internal sealed class PartRoller : IAsyncDisposable
{
    private readonly IPartFormat _format;
    private readonly IPartSink _sink;
    private readonly IPartSpool _spool;
    private readonly PartContext _context;
    private readonly string _prefix;
    private readonly string _windowName;
    private readonly int _partSize;
    private readonly int _pageSize;
    private Stream? _spoolStream;
    private IPartEncoder? _encoder;

    public PartRoller(IPartFormat format, IPartSink sink, IPartSpool spool, PartContext context, string prefix, string windowName, int partSize, int pageSize)
    {
        _format = format;
        _sink = sink;
        _spool = spool;
        _context = context;
        _prefix = prefix;
        _windowName = windowName;
        _partSize = partSize;
        _pageSize = pageSize;
    }

    /// <summary>Findings in the open part (0 when none is open).</summary>
    public int Count => _encoder?.Count ?? 0;

    /// <summary>True when another full page would not fit, so the part should be sealed at this page boundary.</summary>
    public bool IsFull => Count + _pageSize > _partSize;

    public async ValueTask AddPageAsync(IReadOnlyList<ReadOnlyMemory<byte>> findings, CancellationToken cancellationToken)
    {
        if (findings.Count == 0)
        {
            return;
        }

        if (_encoder is null)
        {
            _spoolStream = _spool.Open();
            _encoder = _format.CreateEncoder(_context, _spoolStream);
        }

        foreach (var finding in findings)
        {
            await _encoder.AddAsync(finding, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes the open part and stores it as part <paramref name="sequence"/>; the roller is then empty.</summary>
    public async Task<StoredPart> SealAsync(int sequence, CancellationToken cancellationToken)
    {
        if (_encoder is null || _spoolStream is null)
        {
            throw new InvalidOperationException("No part is open.");
        }

        try
        {
            var count = _encoder.Count;
            await _encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return await StoreAsync(_spoolStream, sequence, count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DiscardAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stores a valid part with no findings as part <paramref name="sequence"/>, replacing a stale object left by an earlier run of the window.</summary>
    public async Task<StoredPart> StoreEmptyAsync(int sequence, CancellationToken cancellationToken)
    {
        var stream = _spool.Open();
        await using (stream.ConfigureAwait(false))
        {
            var encoder = _format.CreateEncoder(_context, stream);
            await using (encoder.ConfigureAwait(false))
            {
                await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            return await StoreAsync(stream, sequence, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the open part unstored (its findings will be fetched again).</summary>
    public async ValueTask DiscardAsync()
    {
        var encoder = _encoder;
        var stream = _spoolStream;
        _encoder = null;
        _spoolStream = null;
        if (encoder is not null)
        {
            await encoder.DisposeAsync().ConfigureAwait(false);
        }

        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => DiscardAsync();

    private async Task<StoredPart> StoreAsync(Stream content, int sequence, int count, CancellationToken cancellationToken)
    {
        await content.FlushAsync(cancellationToken).ConfigureAwait(false);
        var bytes = content.Length;
        content.Position = 0;
        var key = PartKeys.PartKey(_prefix, _windowName, sequence, _format.Extension);
        await _sink.PutAsync(key, content, _format.ContentType, cancellationToken).ConfigureAwait(false);
        return new StoredPart(key, count, bytes);
    }
}
