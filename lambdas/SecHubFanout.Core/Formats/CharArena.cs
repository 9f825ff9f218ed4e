using System.Buffers;

namespace SecHubFanout.Core.Formats;

/// <summary>
/// Hands out char slices from a few reused blocks, so a row group's text needs no string per finding; reset per row group. The blocks
/// come from <see cref="ArrayPool{T}.Shared"/> and go back on <see cref="Release"/>, so each part does not allocate megabytes of
/// large-object-heap blocks anew.
/// </summary>
internal sealed class CharArena
{
    private const int BlockSize = 1 << 20;
    private readonly List<char[]> _blocks = [];
    private readonly List<char[]> _oversized = [];
    private int _block;
    private int _used;

    public Memory<char> Allocate(int length)
    {
        if (length > BlockSize)
        {
            // A finding bigger than a block gets its own array until the row group is written; it is rare (findings are at most 240 KB).
            var own = ArrayPool<char>.Shared.Rent(length);
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
                _blocks.Add(ArrayPool<char>.Shared.Rent(BlockSize));
            }

            _used = 0;
        }

        var slice = _blocks[_block].AsMemory(_used, length);
        _used += length;
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

    private static void ReturnAll(List<char[]> arrays)
    {
        foreach (var array in arrays)
        {
            ArrayPool<char>.Shared.Return(array);
        }

        arrays.Clear();
    }
}
