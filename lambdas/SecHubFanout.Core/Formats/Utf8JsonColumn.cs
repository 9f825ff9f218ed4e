using Parquet;
using Parquet.Schema;

namespace SecHubFanout.Core.Formats;

/// <summary>
/// The <c>finding</c> column: a string column (BYTE_ARRAY, logical type STRING, converted type UTF8) whose values are the finding's
/// UTF-8 JSON exactly as received, handed to Parquet.Net as bytes, without decoding them to UTF-16 and having them encoded back.
/// </summary>
/// <remarks>
/// The schema carries <see cref="Field"/>, a <see cref="DataField{T}"/> of string, so every reader sees text. Parquet.Net 6.1 accepts
/// only <see cref="ReadOnlyMemory{T}"/> of char for a string field, so the values go through <c>_bytes</c>, a binary field of the same
/// name and nullability attached to a one-column schema of its own: <see cref="ParquetRowGroupWriter"/> matches the column it writes by
/// name and encodes with the file schema's element, so the page holds the same length-prefixed bytes it would for the string. Parquet.Net
/// computes no min/max for binary values, so this column's statistics hold the null count only (no reader filters on the whole JSON).
/// A later Parquet.Net that refused this would throw on the first row group written, and the Parquet read-back tests would fail.
/// </remarks>
internal sealed class Utf8JsonColumn : ParquetColumnBuffer
{
    private readonly DataField<string> _field;
    private readonly DataField<byte[]> _bytes;

    // Only attaches _bytes (Parquet.Net writes only fields attached to a schema); never written as a file schema.
    private readonly ParquetSchema _bytesSchema;
    private readonly GrowableArray<ReadOnlyMemory<byte>?> _values = new();

    public Utf8JsonColumn(string name)
    {
        _field = new DataField<string>(name);
        _bytes = new DataField<byte[]>(name, _field.IsNullable);
        _bytesSchema = new ParquetSchema(_bytes);
    }

    public override Field Field => _field;

    public override void Add(in ParquetRow row) => _values.Add(row.Json);

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken) =>
        rowGroup.WriteAsync(_bytes, _values.AsMemory(), null, null, cancellationToken);

    public override void Clear() => _values.Clear();

    public override void Release() => _values.Release();
}
