using System.Buffers;

namespace SecHubFanout.Core.Formats;

/// <summary>
/// Hands out byte slices from a few reused blocks, so a row group's finding JSON needs no array per finding; reset per row group. The
/// blocks come from <see cref="ArrayPool{T}.Shared"/> and go back on <see cref="Release"/>, so each part does not allocate megabytes of
/// large-object-heap blocks anew.
/// </summary>
internal sealed class ByteArena
{
    private const int BlockSize = 1 << 20;
    private readonly List<byte[]> _blocks = [];
    private readonly List<byte[]> _oversized = [];
    private int _block;
    private int _used;

    /// <summary>A copy of <paramref name="bytes"/> that stays valid until <see cref="Reset"/>, whatever the caller does with its buffer.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        var slice = Allocate(bytes.Length);
        bytes.CopyTo(slice.Span);
        return slice;
    }

    /// <summary>Makes every block free again (the slices handed out must no longer be read).</summary>
    public void Reset()
    {
        ReturnAll(_oversized);
        _block = 0;
        _used = 0;
    }

    /// <summary>Returns every block to the pool; the arena is empty afterwards and may be used again.</summary>
    public void Release()
    {
        Reset();
        ReturnAll(_blocks);
    }

    private static void ReturnAll(List<byte[]> arrays)
    {
        foreach (var array in arrays)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        arrays.Clear();
    }

    private Memory<byte> Allocate(int length)
    {
        if (length > BlockSize)
        {
            // A finding bigger than a block gets its own array until the row group is written; it is rare (findings are at most 240 KB).
            var own = ArrayPool<byte>.Shared.Rent(length);
            _oversized.Add(own);
            return own.AsMemory(0, length);
        }

        if (_blocks.Count == 0 || _used + length > BlockSize)
        {
            if (_blocks.Count > 0)
            {
                _block++;
            }

            if (_block == _blocks.Count)
            {
                _blocks.Add(ArrayPool<byte>.Shared.Rent(BlockSize));
            }

            _used = 0;
        }

        var slice = _blocks[_block].AsMemory(_used, length);
        _used += length;
        return slice;
    }
}
