using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecHubFanout.Coordinator;

/// <summary>Reads a handler's input stream and writes its output stream with source-generated JSON.</summary>
internal static class HandlerJson
{
    public static async Task<T?> ReadAsync<T>(Stream input, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        return bytes.AsSpan().Trim(" \t\r\n"u8).Length == 0 ? default : JsonSerializer.Deserialize(bytes, type);
    }

    public static Stream Write<T>(T value, JsonTypeInfo<T> type) => new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value, type), writable: false);
}
