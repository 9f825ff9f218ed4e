using System.Globalization;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Schema;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Core.Tests.Formats;

[TestClass]
public sealed class ParquetPartFormatTests
{
    private static readonly PartContext _context = new("exp-2026-11-23-ab12", "111122223333", "eu-west-1", new DateTimeOffset(2026, 11, 23, 18, 0, 0, 123, TimeSpan.Zero));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Format_Identity_IsParquet()
    {
        var format = new ParquetPartFormat();

        Assert.AreEqual("parquet", format.Name);
        Assert.AreEqual(".parquet", format.Extension);
        Assert.AreEqual("application/vnd.apache.parquet", format.ContentType);
    }

    [TestMethod]
    public async Task Encoder_Corpus_DuckDbReadsEveryColumnAsTheJsonSays()
    {
        var findings = TestFindings.Corpus();
        var path = await WritePartAsync(findings, new ParquetPartOptions { RowGroupMaxRows = 3 });

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var types = Query(connection, $"DESCRIBE SELECT * FROM read_parquet('{path}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var select = string.Join(", ", FindingSchema.Columns.Select(c => c.Type == ColumnType.Timestamp ? $"epoch_ms({c.Name})" : c.Name));
        var rows = Query(connection, $"SELECT {select} FROM read_parquet('{path}')");
        var codecs = Query(connection, $"SELECT DISTINCT compression FROM parquet_metadata('{path}')").Select(r => (string)r[0]!).ToList();

        CollectionAssert.AreEqual(FindingSchema.Columns.Select(c => c.Name).ToList(), types.Keys.ToList(), "column order");
        foreach (var column in FindingSchema.Columns)
        {
            var expected = column.Type switch
            {
                ColumnType.String => "VARCHAR",
                ColumnType.Int => "INTEGER",
                ColumnType.Timestamp => "TIMESTAMP WITH TIME ZONE",
                ColumnType.StringList => "VARCHAR[]",
                _ => "?",
            };
            Assert.AreEqual(expected, types[column.Name], column.Name);
        }

        CollectionAssert.AreEqual(new[] { "ZSTD" }, codecs, "zstd by default");
        Assert.HasCount(findings.Count, rows);
        for (var i = 0; i < findings.Count; i++)
        {
            for (var c = 0; c < FindingSchema.Columns.Count; c++)
            {
                var column = FindingSchema.Columns[c];
                AssertValue(TestFindings.Expected(column, findings[i], _context), rows[i][c], $"row {i} column {column.Name}");
            }
        }
    }

    [TestMethod]
    public async Task Encoder_Corpus_ParquetNetReadsLogicalTypesAndValues()
    {
        var findings = TestFindings.Corpus();
        var path = await WritePartAsync(findings, new ParquetPartOptions { RowGroupMaxRows = 3, Compression = ParquetCompression.Snappy });

        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: TestContext.CancellationToken);
        var fields = reader.Schema.Fields;
        var rowGroups = reader.RowGroupCount;
        var ids = new List<string?>();
        var json = new List<string?>();
        var updated = new List<DateTime?>();
        var idField = reader.Schema.DataFields.Single(f => f.Name == "id");
        var findingField = reader.Schema.DataFields.Single(f => f.Name == "finding");
        var updatedField = reader.Schema.DataFields.Single(f => f.Name == "updated_at");
        for (var g = 0; g < rowGroups; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var count = (int)rowGroup.RowCount;
            var idValues = new string?[count];
            var jsonValues = new string?[count];
            var updatedValues = new DateTime?[count];
            await rowGroup.ReadAsync(idField, idValues.AsMemory(), null, TestContext.CancellationToken);
            await rowGroup.ReadAsync(findingField, jsonValues.AsMemory(), null, TestContext.CancellationToken);
            await rowGroup.ReadAsync<DateTime>(updatedField, updatedValues.AsMemory(), null, TestContext.CancellationToken);
            ids.AddRange(idValues);
            json.AddRange(jsonValues);
            updated.AddRange(updatedValues);
        }

        CollectionAssert.AreEqual(FindingSchema.Columns.Select(c => c.Name).ToList(), fields.Select(f => f.Name).ToList());
        var timestamp = (DateTimeDataField)fields.Single(f => f.Name == "created_at");
        Assert.AreEqual(DateTimeFormat.Timestamp, timestamp.DateTimeFormat);
        Assert.AreEqual(DateTimeTimeUnit.Millis, timestamp.Unit);
        Assert.IsTrue(timestamp.IsAdjustedToUTC);
        Assert.IsInstanceOfType<ListField>(fields.Single(f => f.Name == "types"));
        Assert.AreEqual(3, rowGroups, "8 findings in row groups of at most 3 rows");
        CollectionAssert.AreEqual(findings.Select(f => TestFindings.Expected(FindingSchema.Columns[0], f, _context)).ToList(), ids);
        CollectionAssert.AreEqual(findings.Select(f => System.Text.Encoding.UTF8.GetString(f)).ToList(), json, "the finding column holds the input text");
        var expectedUpdated = findings.Select(f => (long?)TestFindings.Expected(FindingSchema.Columns.Single(c => c.Name == "updated_at"), f, _context)).ToList();
        CollectionAssert.AreEqual(expectedUpdated, updated.Select(u => u is null ? (long?)null : new DateTimeOffset(DateTime.SpecifyKind(u.Value, DateTimeKind.Utc)).ToUnixTimeMilliseconds()).ToList());
    }

    [TestMethod]
    public async Task Encoder_Corpus_FindingColumnIsAUtf8StringHoldingTheInputBytes()
    {
        // Arrange: the corpus (non-ASCII, escapes, 230 KB) and a finding bigger than the encoder's 1 MiB arena blocks.
        var findings = TestFindings.Corpus().Append(SampleFindings.Control(7, padding: 1_200_000)).ToList();

        // Act
        var path = await WritePartAsync(findings, new ParquetPartOptions { RowGroupMaxRows = 3 });

        // Assert: the file schema declares a UTF-8 string (BYTE_ARRAY, STRING, UTF8) ...
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: TestContext.CancellationToken);
        var element = reader.Metadata!.Schema.Single(e => e.Name == "finding");
        Assert.AreEqual(Parquet.Meta.Type.BYTE_ARRAY, element.Type);
        Assert.IsNotNull(element.LogicalType?.STRING, "logical type STRING");
        Assert.AreEqual(Parquet.Meta.ConvertedType.UTF8, element.ConvertedType);
        Assert.AreEqual(new DataField<string>("text").ClrType, reader.Schema.DataFields.Single(f => f.Name == "finding").ClrType, "Parquet.Net reads it as a string field");

        // ... whose values are the input bytes, byte for byte (DuckDB's encode() returns a VARCHAR's UTF-8 bytes unchanged) ...
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var schema = Query(connection, $"SELECT type, converted_type, logical_type FROM parquet_schema('{path}') WHERE name = 'finding'").Single();
        var bytes = Query(connection, $"SELECT encode(finding) FROM read_parquet('{path}')").Select(r => (byte[])r[0]!).ToList();
        Assert.AreEqual("BYTE_ARRAY", schema[0]);
        Assert.AreEqual("UTF8", schema[1]);
        StringAssert.Contains(Convert.ToString(schema[2], CultureInfo.InvariantCulture), "String", StringComparison.OrdinalIgnoreCase);
        Assert.HasCount(findings.Count, bytes);
        for (var i = 0; i < findings.Count; i++)
        {
            CollectionAssert.AreEqual(findings[i], bytes[i], $"row {i}: the finding column holds the input bytes");
        }

        // ... and the other string columns keep their min/max statistics.
        var idStats = Query(connection, $"SELECT stats_min_value, stats_max_value FROM parquet_metadata('{path}') WHERE path_in_schema = 'id'");
        Assert.IsTrue(idStats.All(r => r[0] is not null && r[1] is not null), "id keeps min/max statistics");
    }

    [TestMethod]
    public async Task Encoder_LargeFindings_RowGroupsCloseByBytes()
    {
        var findings = Enumerable.Range(0, 6).Select(i => SampleFindings.Control(i, padding: 100_000)).ToList();

        var path = await WritePartAsync(findings, new ParquetPartOptions { RowGroupMaxBytes = 200_000 });

        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: TestContext.CancellationToken);
        Assert.AreEqual(3, reader.RowGroupCount, "each row group closes once it holds 200 KB of JSON: two findings of about 103 KB");
        Assert.AreEqual(6L, reader.RowGroups.Sum(g => g.RowCount));
    }

    [TestMethod]
    public async Task Encoder_NoFindings_WritesAValidEmptyFile()
    {
        var path = await WritePartAsync([], new ParquetPartOptions());

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var rows = Query(connection, $"SELECT count(*) FROM read_parquet('{path}')");
        Assert.AreEqual(0L, Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public async Task AddAsync_MalformedFinding_ThrowsNamingItsPosition()
    {
        using var output = new MemoryStream();
        await using var encoder = new ParquetPartFormat().CreateEncoder(_context, output);
        await encoder.AddAsync(SampleFindings.Control(0), TestContext.CancellationToken);
        await encoder.AddAsync(SampleFindings.Control(1), TestContext.CancellationToken);

        var ex = await Assert.ThrowsExactlyAsync<InvalidFindingException>(() => encoder.AddAsync("{\"Id\":"u8.ToArray(), TestContext.CancellationToken).AsTask());

        Assert.AreEqual(2, ex.Position);
        Assert.AreEqual(2, encoder.Count);
    }

    [TestMethod]
    public async Task CompleteAsync_Output_IsLeftOpenAndHoldsAParquetFile()
    {
        using var output = new MemoryStream();
        await using (var encoder = new ParquetPartFormat().CreateEncoder(_context, output))
        {
            await encoder.AddAsync(SampleFindings.Control(3), TestContext.CancellationToken);
            await encoder.CompleteAsync(TestContext.CancellationToken);
        }

        Assert.IsTrue(output.CanWrite, "the caller owns the output");
        var bytes = output.ToArray();
        CollectionAssert.AreEqual("PAR1"u8.ToArray(), bytes[..4]);
        CollectionAssert.AreEqual("PAR1"u8.ToArray(), bytes[^4..]);
    }

    [TestMethod]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ParquetPartFormat(new ParquetPartOptions { RowGroupMaxRows = 0 }));
    }

    private async Task<string> WritePartAsync(IReadOnlyList<byte[]> findings, ParquetPartOptions options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sechubfanout-{Guid.NewGuid():N}.parquet");
        var file = File.Create(path);
        await using (file)
        {
            await using var encoder = new ParquetPartFormat(options).CreateEncoder(_context, file);
            var buffer = new byte[findings.Select(f => f.Length).DefaultIfEmpty(0).Max()];
            foreach (var finding in findings)
            {
                // The encoder must copy what it needs: the caller reuses its buffer.
                finding.CopyTo(buffer, 0);
                await encoder.AddAsync(buffer.AsMemory(0, finding.Length), TestContext.CancellationToken);
                Array.Fill(buffer, (byte)'!');
            }

            await encoder.CompleteAsync(TestContext.CancellationToken);
            Assert.AreEqual(findings.Count, encoder.Count);
        }

        TestContext.WriteLine($"{path}: {new FileInfo(path).Length} bytes");
        return path;
    }

    private static List<object?[]> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Materialize(reader.GetValue(i));
            }

            rows.Add(row);
        }

        return rows;
    }

    // DuckDB.NET returns a BLOB as a stream over memory DuckDB reuses for the next rows: copy it while the row is current.
    private static object? Materialize(object value)
    {
        if (value is not Stream blob)
        {
            return value;
        }

        using var copy = new MemoryStream();
        blob.CopyTo(copy);
        return copy.ToArray();
    }

    private static void AssertValue(object? expected, object? actual, string what)
    {
        switch (expected)
        {
            case null:
                Assert.IsNull(actual, what);
                break;
            case List<string?> list:
                Assert.IsNotNull(actual, what);
                CollectionAssert.AreEqual(list, ((System.Collections.IEnumerable)actual).Cast<string?>().ToList(), what);
                break;
            case long millis:
                Assert.AreEqual(millis, Convert.ToInt64(actual, CultureInfo.InvariantCulture), what);
                break;
            case int number:
                Assert.AreEqual(number, Convert.ToInt32(actual, CultureInfo.InvariantCulture), what);
                break;
            default:
                Assert.AreEqual(expected, actual, what);
                break;
        }
    }
}
