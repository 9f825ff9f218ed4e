namespace SecHubFanout.Core.Formats;

/// <summary>Hands out char slices from a few reused blocks, so a row group's text needs no string per finding; reset per row group.</summary>
internal sealed class CharArena
{
    private const int BlockSize = 1 << 20;
    private readonly List<char[]> _blocks = [];
    private int _block;
    private int _used;

    public Memory<char> Allocate(int length)
    {
        if (length > BlockSize)
        {
            // A finding bigger than a block gets its own array; it is rare (findings are at most 240 KB).
            return new char[length];
        }

        if (_blocks.Count == 0 || _used + length > BlockSize)
        {
            if (_blocks.Count > 0)
            {
                _block++;
            }

            if (_block == _blocks.Count)
            {
                _blocks.Add(new char[BlockSize]);
            }

            _used = 0;
        }

        var slice = _blocks[_block].AsMemory(_used, length);
        _used += length;
        return slice;
    }

    public void Reset()
    {
        _block = 0;
        _used = 0;
    }
}
