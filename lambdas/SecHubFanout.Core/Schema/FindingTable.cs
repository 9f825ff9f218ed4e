using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Schema;

/// <summary>One exported table: its name (Glue and DuckDB), the API that fills it, its file columns and its partition keys.</summary>
/// <param name="Name">The table's name: <c>findings</c> (ASFF) or <c>findings_ocsf</c> (OCSF).</param>
/// <param name="Api">The API whose findings it holds.</param>
/// <param name="Columns">The columns stored in each file, in order.</param>
public sealed record FindingTable(string Name, FindingsApi Api, IReadOnlyList<ColumnDefinition> Columns)
{
    /// <summary>GetFindings' ASFF findings (<see cref="FindingSchema.Columns"/>).</summary>
    public static FindingTable Asff { get; } = new("findings", FindingsApi.V1, FindingSchema.Columns);

    /// <summary>GetFindingsV2's OCSF findings (<see cref="OcsfFindingSchema.Columns"/>).</summary>
    public static FindingTable Ocsf { get; } = new("findings_ocsf", FindingsApi.V2, OcsfFindingSchema.Columns);

    /// <summary>Both tables, ASFF first.</summary>
    public static IReadOnlyList<FindingTable> All { get; } = [Asff, Ocsf];

    /// <summary>Partition keys encoded in the object key (Hive style), shared by both tables.</summary>
    public IReadOnlyList<ColumnDefinition> PartitionKeys => FindingSchema.PartitionKeys;

    /// <summary>
    /// The columns as Athena (Glue) and the local view have them, in order: the file columns except those named like a partition key
    /// (<c>export_id</c>), then the partition keys.
    /// </summary>
    public IReadOnlyList<ColumnDefinition> TableColumns { get; } =
        [.. Columns.Where(c => !FindingSchema.PartitionKeys.Any(p => p.Name == c.Name)), .. FindingSchema.PartitionKeys];

    /// <summary>The table filled by <paramref name="api"/>.</summary>
    public static FindingTable For(FindingsApi api) => api == FindingsApi.V2 ? Ocsf : Asff;
}
