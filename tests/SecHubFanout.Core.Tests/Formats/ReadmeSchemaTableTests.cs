using SecHubFanout.Core.Schema;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Core.Tests.Formats;

[TestClass]
public sealed class ReadmeSchemaTableTests
{
    [TestMethod]
    public void ReadmeSchemaSection_ParquetTable_MatchesFindingSchemaInOrder() =>
        AssertReadmeTable("| column | Parquet type |", FindingSchema.Columns);

    [TestMethod]
    public void ReadmeSchemaSection_OcsfParquetTable_MatchesOcsfFindingSchemaInOrder() =>
        AssertReadmeTable("| column (OCSF) | Parquet type |", OcsfFindingSchema.Columns);

    private static void AssertReadmeTable(string header, IReadOnlyList<ColumnDefinition> columns)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("<!-- section: schema -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- end: schema -->", StringComparison.Ordinal);
        var section = readme[start..end];
        var tableStart = section.IndexOf(header, StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, tableStart, $"the schema section has a table headed {header}");
        var rows = section[tableStart..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();

        var expected = columns.Select(c => $"| `{c.Name}` | {ParquetType(c.Type)} | `{AthenaType(c.Type)}` | `{DuckDbType(c.Type)}` |").ToList();

        Assert.HasCount(expected.Count, rows, "one README row per column");
        for (var i = 0; i < expected.Count; i++)
        {
            StringAssert.StartsWith(rows[i], expected[i], $"README row {i} under {header}");
        }
    }

    private static string ParquetType(ColumnType type) => type switch
    {
        ColumnType.String => "BYTE_ARRAY STRING",
        ColumnType.Int => "INT32",
        ColumnType.Timestamp => "INT64 TIMESTAMP(MILLIS, UTC)",
        _ => "LIST of STRING",
    };

    private static string AthenaType(ColumnType type) => type switch
    {
        ColumnType.String => "string",
        ColumnType.Int => "int",
        ColumnType.Timestamp => "timestamp",
        _ => "array<string>",
    };

    private static string DuckDbType(ColumnType type) => type switch
    {
        ColumnType.String => "VARCHAR",
        ColumnType.Int => "INTEGER",
        ColumnType.Timestamp => "TIMESTAMP WITH TIME ZONE",
        _ => "VARCHAR[]",
    };
}
