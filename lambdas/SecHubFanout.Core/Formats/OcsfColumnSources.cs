using SecHubFanout.Core.Schema;

namespace SecHubFanout.Core.Formats;

/// <summary>The one mapping from <see cref="OcsfFindingSchema"/> column names to values; a column added there fails here, loudly, until it is mapped.</summary>
internal static class OcsfColumnSources
{
    // Columns every table shares (where and when the finding was exported) come from the part, as for ASFF; the finding itself is
    // ParquetColumnBuffer.FindingColumn, written by Utf8JsonColumn for both tables.
    private static readonly string[] _contextColumns = ["source_account_id", "source_region", "export_id", "exported_at"];

    public static Func<ParquetRow, ReadOnlyMemory<char>?> String(string name) => name switch
    {
        "finding_uid" => r => Text(r, o => o.FindingUid),
        "metadata_uid" => r => Text(r, o => o.MetadataUid),
        "class_name" => r => Text(r, o => o.ClassName),
        "title" => r => Text(r, o => o.Title),
        "product_name" => r => Text(r, o => o.ProductName),
        "product_uid" => r => Text(r, o => o.ProductUid),
        "metadata_version" => r => Text(r, o => o.MetadataVersion),
        "cloud_account_uid" => r => Text(r, o => o.CloudAccountUid),
        "cloud_region" => r => Text(r, o => o.CloudRegion),
        "severity" => r => Text(r, o => o.Severity),
        "status" => r => Text(r, o => o.Status),
        "compliance_status" => r => Text(r, o => o.ComplianceStatus),
        "compliance_control" => r => Text(r, o => o.ComplianceControl),
        _ when _contextColumns.Contains(name) => ParquetColumnBuffer.StringSource(name),
        _ => throw ParquetColumnBuffer.Unmapped(name, ColumnType.String),
    };

    public static Func<ParquetRow, int?> Int(string name) => name switch
    {
        "class_uid" => r => r.Ocsf!.ClassUid,
        "severity_id" => r => r.Ocsf!.SeverityId,
        "status_id" => r => r.Ocsf!.StatusId,
        _ => throw ParquetColumnBuffer.Unmapped(name, ColumnType.Int),
    };

    public static Func<ParquetRow, DateTimeOffset?> Timestamp(string name) => name switch
    {
        "created_time" => r => r.Ocsf!.CreatedTime,
        "modified_time" => r => r.Ocsf!.ModifiedTime,
        "first_seen_time" => r => r.Ocsf!.FirstSeenTime,
        "last_seen_time" => r => r.Ocsf!.LastSeenTime,
        _ when _contextColumns.Contains(name) => ParquetColumnBuffer.TimestampSource(name),
        _ => throw ParquetColumnBuffer.Unmapped(name, ColumnType.Timestamp),
    };

    public static Func<ParquetRow, IReadOnlyList<string?>?> List(string name) => name switch
    {
        "types" => r => r.Ocsf!.Types,
        "resource_types" => r => r.Ocsf!.ResourceTypes,
        "resource_uids" => r => r.Ocsf!.ResourceUids,
        "resource_regions" => r => r.Ocsf!.ResourceRegions,
        _ => throw ParquetColumnBuffer.Unmapped(name, ColumnType.StringList),
    };

    private static ReadOnlyMemory<char>? Text(ParquetRow row, Func<OcsfFields, string?> value) => ParquetColumnBuffer.Text(value(row.Ocsf!));
}
