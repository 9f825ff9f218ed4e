namespace SecHubFanout.Core.Formats;

/// <summary>An append-only buffer that exposes its filled part as memory (which <see cref="List{T}"/> cannot) and keeps its array across row groups.</summary>
internal sealed class GrowableArray<T>
{
    private T[] _items = new T[256];

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    public ReadOnlyMemory<T> AsMemory() => _items.AsMemory(0, Count);

    public void Clear()
    {
        // Drop references (strings, text slices) so a finished row group's data can be collected.
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
