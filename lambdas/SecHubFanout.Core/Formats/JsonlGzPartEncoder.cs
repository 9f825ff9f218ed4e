using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace SecHubFanout.Core.Formats;

/// <summary>Writes each finding's bytes and a newline into a gzip stream; compacts only a finding that spans several lines.</summary>
internal sealed class JsonlGzPartEncoder : IPartEncoder
{
    private static readonly byte[] _newline = "\n"u8.ToArray();
    private readonly GZipStream _gzip;
    private bool _completed;

    public JsonlGzPartEncoder(Stream output, CompressionLevel level)
    {
        _gzip = new GZipStream(output, level, leaveOpen: true);
    }

    public int Count { get; private set; }

    public async ValueTask AddAsync(ReadOnlyMemory<byte> finding, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        Validate(finding.Span, Count);
        if (finding.Span.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            await _gzip.WriteAsync(finding, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var buffer = ArrayPool<byte>.Shared.Rent(finding.Length);
            try
            {
                var length = JsonCompactor.Compact(finding.Span, buffer);
                await _gzip.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        await _gzip.WriteAsync(_newline, cancellationToken).ConfigureAwait(false);
        Count++;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;

        // Disposing the gzip stream writes its trailer; the output stays open (leaveOpen).
        await _gzip.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _completed = true;
            await _gzip.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A line must hold exactly one complete JSON object, or every reader of the file stumbles on it.
    private static void Validate(ReadOnlySpan<byte> finding, int position)
    {
        try
        {
            var reader = new Utf8JsonReader(finding);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidFindingException(position, "it is not a JSON object");
            }

            reader.Skip();
            if (reader.Read())
            {
                throw new InvalidFindingException(position, $"unexpected {reader.TokenType} after the finding's closing brace");
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidFindingException(position, $"malformed JSON at byte {ex.BytePositionInLine} ({ex.Message})", ex);
        }
    }
}
