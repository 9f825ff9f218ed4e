using System.Buffers.Binary;
using System.Security.Cryptography;
using SecHubFanout.Emulator.Query;

namespace SecHubFanout.Emulator.Protocol;

/// <summary>
/// Opaque NextTokens bound to their query: base64 of {query hash, offset, issued at} + HMAC, so a token is rejected when the
/// query changed, when it was forged or truncated, and (with a lifetime) when it is too old.
/// </summary>
internal sealed class NextTokenCodec(TimeProvider time, TimeSpan? lifetime)
{
    private const int HashBytes = 16;
    private const int MacBytes = 16;
    private const int PayloadBytes = 1 + HashBytes + 4 + 8;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Issue(ReadOnlySpan<byte> queryHash, int offset)
    {
        Span<byte> token = stackalloc byte[PayloadBytes + MacBytes];
        token[0] = 1;
        queryHash[..HashBytes].CopyTo(token[1..]);
        BinaryPrimitives.WriteInt32BigEndian(token[(1 + HashBytes)..], offset);
        BinaryPrimitives.WriteInt64BigEndian(token[(1 + HashBytes + 4)..], time.GetUtcNow().ToUnixTimeMilliseconds());
        HMACSHA256.HashData(_key, token[..PayloadBytes])[..MacBytes].CopyTo(token[PayloadBytes..]);
        return Convert.ToBase64String(token);
    }

    /// <summary>The offset a token continues at; throws the InvalidInputException Security Hub would answer otherwise.</summary>
    public int Read(string token, ReadOnlySpan<byte> queryHash)
    {
        Span<byte> bytes = stackalloc byte[PayloadBytes + MacBytes + 3];
        if (!Convert.TryFromBase64String(token, bytes, out var length) || length != PayloadBytes + MacBytes || bytes[0] != 1
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, bytes[..PayloadBytes]).AsSpan(0, MacBytes), bytes[PayloadBytes..(PayloadBytes + MacBytes)]))
        {
            throw new EmulatorInputException("Invalid NextToken: the token is malformed or was not issued by this server.");
        }

        if (!bytes[1..(1 + HashBytes)].SequenceEqual(queryHash[..HashBytes]))
        {
            throw new EmulatorInputException("Invalid NextToken: Input Query has changed");
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[(1 + HashBytes + 4)..]));
        if (lifetime is { } max && time.GetUtcNow() - issued > max)
        {
            throw new EmulatorInputException($"Invalid NextToken: the NextToken has expired (tokens live {max.TotalSeconds:0.###} s here); restart the query from its first page.");
        }

        return BinaryPrimitives.ReadInt32BigEndian(bytes[(1 + HashBytes)..]);
    }
}
