using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SecHubFanout.Core.Formats;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Bench;

/// <summary>
/// The per-finding path of an exporter: split a GetFindings page body (100 findings of about 3 KB) into findings, read the column fields,
/// and encode one part of 2,000 findings (one Parquet row group, twenty pages). Each benchmark reports the time per finding.
/// </summary>
[MemoryDiagnoser]
public class PerFindingBenchmarks
{
    private const int PagesPerPart = 20;
    private const int FindingsPerPage = 100;
    internal const int FindingsPerPart = PagesPerPart * FindingsPerPage;

    private static readonly PartContext _context = new("bench-export", "111122223333", "eu-west-1", new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private readonly FindingFields _fields = new();
    private readonly List<ReadOnlyMemory<byte>> _findings = new(FindingsPerPage);
    private byte[][] _pages = [];
    private MemoryStream _output = new();
    private IPartFormat _parquetSnappy = null!;
    private IPartFormat _parquetZstd = null!;
    private IPartFormat _jsonl = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Twenty distinct pages, so compression sees realistic repetition (similar findings), not the same page twenty times.
        _pages = [.. Enumerable.Range(0, PagesPerPart).Select(p => SampleFindings.Page(FindingsPerPage, p * FindingsPerPage))];
        Console.WriteLine($"// page body: {_pages[0].Length} bytes, {FindingsPerPage} findings, {_pages[0].Length / FindingsPerPage} bytes per finding");
        _output = new MemoryStream(16 * 1024 * 1024);
        _parquetSnappy = new ParquetPartFormat(new ParquetPartOptions { Compression = ParquetCompression.Snappy });
        _parquetZstd = new ParquetPartFormat(new ParquetPartOptions { Compression = ParquetCompression.Zstd });
        _jsonl = new JsonlGzPartFormat();
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    /// <summary>Page parsing only: the share of <see cref="ParseAndExtract"/> that the source's split costs.</summary>
    [Benchmark(OperationsPerInvoke = FindingsPerPart)]
    public int SplitOnly()
    {
        var n = 0;
        for (var p = 0; p < PagesPerPart; p++)
        {
            n += SplitPage(_pages[p], _findings).Count;
        }

        return n;
    }

    /// <summary>Page parsing and column extraction only.</summary>
    [Benchmark(OperationsPerInvoke = FindingsPerPart)]
    public int ParseAndExtract()
    {
        var n = 0;
        for (var p = 0; p < PagesPerPart; p++)
        {
            foreach (var finding in SplitPage(_pages[p], _findings))
            {
                FindingFieldReader.Read(finding.Span, _fields, n++);
            }
        }

        return n;
    }

    /// <summary>Page parsing, extraction and Parquet encoding with snappy.</summary>
    [Benchmark(OperationsPerInvoke = FindingsPerPart)]
    public Task<long> ParquetSnappy() => EncodeAsync(_parquetSnappy);

    /// <summary>The same with zstd (the default).</summary>
    [Benchmark(OperationsPerInvoke = FindingsPerPart, Baseline = true)]
    public Task<long> ParquetZstd() => EncodeAsync(_parquetZstd);

    /// <summary>Page parsing, validation and JSONL.gz encoding.</summary>
    [Benchmark(OperationsPerInvoke = FindingsPerPart)]
    public Task<long> JsonlGz() => EncodeAsync(_jsonl);

    private async Task<long> EncodeAsync(IPartFormat format)
    {
        _output.SetLength(0);
        await using (var encoder = format.CreateEncoder(_context, _output))
        {
            for (var p = 0; p < PagesPerPart; p++)
            {
                foreach (var finding in SplitPage(_pages[p], _findings))
                {
                    await encoder.AddAsync(finding, CancellationToken.None);
                }
            }

            await encoder.CompleteAsync(CancellationToken.None);
        }

        return _output.Length;
    }

    // Stands in for the Security Hub source's response parsing: find each element of "Findings" as a slice of the body, copying nothing.
    private static List<ReadOnlyMemory<byte>> SplitPage(byte[] body, List<ReadOnlyMemory<byte>> into)
    {
        into.Clear();
        var reader = new Utf8JsonReader(body);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isFindings = reader.ValueTextEquals("Findings"u8);
            reader.Read();
            if (!isFindings)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                into.Add(body.AsMemory(start, (int)reader.BytesConsumed - start));
            }
        }

        return into;
    }
}
