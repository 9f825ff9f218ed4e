using SecHubFanout.Core.Analytics;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>Maps the export's logical column types to Glue/Athena (Hive) types.</summary>
public static class GlueTypes
{
    /// <summary>The Hive type of a column type.</summary>
    public static string Of(ColumnType type) => type switch
    {
        ColumnType.String => "string",
        ColumnType.Int => "int",
        ColumnType.Timestamp => "timestamp",
        ColumnType.StringList => "array<string>",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no Glue type for this column type"),
    };

    /// <summary>The file columns the Glue table declares: a column named like a partition key is declared only as the partition key (Athena forbids both).</summary>
    public static IReadOnlyList<ColumnDefinition> TableColumns() => TableColumns(FindingTable.Asff);

    /// <summary>The file columns the Glue table of <paramref name="table"/> declares (partition-named columns only as partition keys).</summary>
    public static IReadOnlyList<ColumnDefinition> TableColumns(FindingTable table) => table.TableColumns.Except(table.PartitionKeys).ToList();
}
