using System.Buffers;

namespace SecHubFanout.Aws.Protocols;

/// <summary>
/// A response body read into an array rented from <see cref="ArrayPool{T}.Shared"/>, so that large answers (a GetFindings page is
/// about 330 KB) do not each allocate a new array on the large-object heap. The bytes are valid until <see cref="Dispose"/>, which
/// returns the array to the pool; dispose exactly when nothing reads them any more (disposing twice is harmless).
/// </summary>
public sealed class PooledResponseBody : IDisposable
{
    private const int MinimumBuffer = 16 * 1024;
    private const long MaximumDeclaredLength = 1L << 30;

    private byte[]? _buffer;
    private readonly int _length;

    private PooledResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The body's bytes; throws <see cref="ObjectDisposedException"/> once the body was disposed.</summary>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            var buffer = Volatile.Read(ref _buffer);
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, _length);
        }
    }

    /// <summary>The body's length in bytes.</summary>
    public int Length => _length;

    /// <summary>Reads <paramref name="content"/> to its end into a pooled array, sized by <paramref name="expectedLength"/> when the server gave one.</summary>
    public static async Task<PooledResponseBody> ReadAsync(Stream content, long? expectedLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var pool = ArrayPool<byte>.Shared;

        // One byte beyond a declared length, so a body that ends where it said needs no second read into a grown buffer.
        var buffer = pool.Rent(expectedLength is > 0 and < MaximumDeclaredLength ? (int)expectedLength.Value + 1 : MinimumBuffer);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = pool.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }

                var read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PooledResponseBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    /// <summary>Copies the bytes into a new array (for callers that keep the body).</summary>
    public byte[] ToArray() => Memory.ToArray();

    /// <summary>Returns the array to the pool; the bytes must not be read afterwards.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
