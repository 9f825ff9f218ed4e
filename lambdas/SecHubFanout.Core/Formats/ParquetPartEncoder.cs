using Parquet;
using Parquet.Schema;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Core.Formats;

/// <summary>Buffers one row group column by column, then hands each column to Parquet.Net's low-level writer.</summary>
internal sealed class ParquetPartEncoder : IPartEncoder
{
    private readonly PartContext _context;
    private readonly Stream _output;
    private readonly ParquetPartOptions _options;
    private readonly ParquetColumnBuffer[] _columns;
    private readonly ParquetSchema _schema;
    private readonly FindingFields _fields = new();
    private readonly OcsfFields? _ocsf;
    private readonly ByteArena _json = new();
    private ParquetWriter? _writer;
    private int _rowsInGroup;
    private long _bytesInGroup;
    private bool _completed;

    public ParquetPartEncoder(PartContext context, Stream output, ParquetPartOptions options)
        : this(context, output, options, FindingTable.Asff)
    {
    }

    public ParquetPartEncoder(PartContext context, Stream output, ParquetPartOptions options, FindingTable table)
    {
        _context = context;
        _output = output;
        _options = options;
        _ocsf = table.Api == Queries.FindingsApi.V2 ? new OcsfFields() : null;
        _columns = [.. table.Columns.Select(c => ParquetColumnBuffer.Create(c, table))];
        _schema = new ParquetSchema([.. _columns.Select(c => c.Field)]);
    }

    public int Count { get; private set; }

    public async ValueTask AddAsync(ReadOnlyMemory<byte> finding, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_ocsf is null)
        {
            FindingFieldReader.Read(finding.Span, _fields, Count);
        }
        else
        {
            OcsfFieldReader.Read(finding, _ocsf, Count);
        }

        // The reader has checked the bytes are valid UTF-8, so they go into the string column as they are; they are copied because the
        // caller reuses its buffer (a pooled page) before the row group is written.
        var json = _json.Copy(finding.Span);

        var row = new ParquetRow(_fields, _context, json) { Ocsf = _ocsf };
        foreach (var column in _columns)
        {
            column.Add(row);
        }

        Count++;
        _rowsInGroup++;
        _bytesInGroup += finding.Length;
        if (_rowsInGroup >= _options.RowGroupMaxRows || _bytesInGroup >= _options.RowGroupMaxBytes)
        {
            await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        var writer = await GetWriterAsync(cancellationToken).ConfigureAwait(false);

        // Disposing the writer writes the footer; the output stream itself stays open for the caller.
        await writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        _completed = true;
        ReleaseBuffers();
    }

    public ValueTask DisposeAsync()
    {
        // An encoder dropped before CompleteAsync leaves its output without a footer on purpose: it is not a valid part.
        _completed = true;
        _writer = null;
        ReleaseBuffers();
        return ValueTask.CompletedTask;
    }

    // The JSON arena and column arrays are pooled: hand them back once no row group will be written any more.
    private void ReleaseBuffers()
    {
        foreach (var column in _columns)
        {
            column.Release();
        }

        _json.Release();
    }

    private async ValueTask FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_rowsInGroup == 0)
        {
            return;
        }

        var writer = await GetWriterAsync(cancellationToken).ConfigureAwait(false);
        using (var rowGroup = writer.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                await column.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
            }

            rowGroup.CompleteValidate();
        }

        foreach (var column in _columns)
        {
            column.Clear();
        }

        _json.Reset();
        _rowsInGroup = 0;
        _bytesInGroup = 0;
    }

    private async ValueTask<ParquetWriter> GetWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            var options = new ParquetOptions
            {
                CompressionMethod = _options.Compression switch
                {
                    ParquetCompression.Snappy => CompressionMethod.Snappy,
                    ParquetCompression.None => CompressionMethod.None,
                    _ => CompressionMethod.Zstd,
                },

                // Parquet.Net defaults to SmallestSize, which for zstd cost about 3x the CPU of Optimal per finding in bench/ (123 vs 37 µs).
                CompressionLevel = System.IO.Compression.CompressionLevel.Optimal,

                // Parquet.Net's process-wide stream pool keeps up to 64 + 16 MiB of free buffers by default; that memory never serves
                // more than the few row groups written at once and counts against a 512 MB Lambda (see bench/README.md, Memory).
                MaximumLargePoolFreeBytes = 24 * 1024 * 1024,
                MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
            };
            _writer = await ParquetWriter.CreateAsync(_schema, _output, options, append: false, cancellationToken).ConfigureAwait(false);
            _writer.CustomMetadata = new Dictionary<string, string>
            {
                ["sechubfanout.export_id"] = _context.ExportId,
                ["sechubfanout.source_account_id"] = _context.SourceAccountId,
                ["sechubfanout.source_region"] = _context.SourceRegion,
            };
        }

        return _writer;
    }
}
