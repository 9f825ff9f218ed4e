using System.Buffers.Binary;
using System.Text;

namespace SecHubFanout.Core.Formats;

/// <summary>
/// Turns short UTF-8 values that repeat from finding to finding (account IDs, Regions, labels, product ARNs, control titles) into
/// strings without allocating a new string each time: a small direct-mapped table of recent values, one per reader, not shared.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxLength = 160;
    private const int Slots = 512;

    private readonly byte[]?[] _keys = new byte[Slots][];
    private readonly string?[] _values = new string[Slots];

    /// <summary>The string of <paramref name="utf8"/> (valid, unescaped UTF-8): the one made earlier when the same bytes were seen last in its slot.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = (int)(Hash(utf8) & (Slots - 1));
        if (_keys[slot] is { } key && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        var value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }

    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        var hash = (ulong)bytes.Length * Multiplier;
        while (bytes.Length >= sizeof(ulong))
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Multiplier;
            hash ^= hash >> 29;
            bytes = bytes[sizeof(ulong)..];
        }

        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Multiplier;
        }

        return hash ^ (hash >> 32);
    }
}
