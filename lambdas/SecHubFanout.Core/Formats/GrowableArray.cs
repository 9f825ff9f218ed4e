using System.Buffers;
using System.Runtime.CompilerServices;

namespace SecHubFanout.Core.Formats;

/// <summary>
/// An append-only buffer that exposes its filled part as memory (which <see cref="List{T}"/> cannot) and keeps its array across row
/// groups; the array comes from <see cref="ArrayPool{T}.Shared"/> and goes back on <see cref="Release"/>, so parts do not each
/// allocate their column arrays anew.
/// </summary>
internal sealed class GrowableArray<T>
{
    private const int InitialLength = 256;
    private T[] _items = [];

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[Count++] = item;
    }

    public ReadOnlyMemory<T> AsMemory() => _items.AsMemory(0, Count);

    public void Clear()
    {
        // Drop references (strings, text slices) so a finished row group's data can be collected.
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_items, 0, Count);
        }

        Count = 0;
    }

    /// <summary>Returns the array to the pool; the buffer is empty afterwards and may be filled again.</summary>
    public void Release()
    {
        Clear();
        if (_items.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_items);
            _items = [];
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<T>.Shared.Rent(Math.Max(InitialLength, _items.Length * 2));
        if (_items.Length > 0)
        {
            _items.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<T>.Shared.Return(_items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        _items = larger;
    }
}
