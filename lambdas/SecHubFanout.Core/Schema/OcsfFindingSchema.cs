namespace SecHubFanout.Core.Schema;

/// <summary>
/// The row schema of GetFindingsV2 (OCSF 1.6) exports: flat columns for what analysts filter on, where the finding was pulled from,
/// and the untouched finding. One definition shared by the Parquet writer, the Glue table <c>findings_ocsf</c>, the DuckDB view and
/// the README; the partition keys are the same as <see cref="FindingSchema.PartitionKeys"/>.
/// </summary>
public static class OcsfFindingSchema
{
    /// <summary>The columns stored in each file, in order.</summary>
    public static IReadOnlyList<ColumnDefinition> Columns { get; } =
    [
        new("finding_uid", ColumnType.String, "finding_info.uid"),
        new("metadata_uid", ColumnType.String, "metadata.uid"),
        new("class_uid", ColumnType.Int, "class_uid (2002 Vulnerability, 2003 Compliance, 2004 Detection)"),
        new("class_name", ColumnType.String, "class_name"),
        new("title", ColumnType.String, "finding_info.title"),
        new("types", ColumnType.StringList, "finding_info.types[]"),
        new("product_name", ColumnType.String, "metadata.product.name"),
        new("product_uid", ColumnType.String, "metadata.product.uid"),
        new("metadata_version", ColumnType.String, "metadata.version (the OCSF version)"),
        new("cloud_account_uid", ColumnType.String, "cloud.account.uid (the finding's own account)"),
        new("cloud_region", ColumnType.String, "cloud.region (the finding's own Region)"),
        new("severity", ColumnType.String, "severity"),
        new("severity_id", ColumnType.Int, "severity_id"),
        new("status", ColumnType.String, "status"),
        new("status_id", ColumnType.Int, "status_id"),
        new("compliance_status", ColumnType.String, "compliance.status"),
        new("compliance_control", ColumnType.String, "compliance.control"),
        new("resource_types", ColumnType.StringList, "resources[].type (CloudFormation style, such as AWS::SQS::Queue)"),
        new("resource_uids", ColumnType.StringList, "resources[].uid"),
        new("resource_regions", ColumnType.StringList, "resources[].region (may be global)"),
        new("created_time", ColumnType.Timestamp, "finding_info.created_time_dt (else created_time, epoch ms)"),
        new("modified_time", ColumnType.Timestamp, "finding_info.modified_time_dt (else modified_time): the export windows cut this"),
        new("first_seen_time", ColumnType.Timestamp, "finding_info.first_seen_time_dt (else first_seen_time)"),
        new("last_seen_time", ColumnType.Timestamp, "finding_info.last_seen_time_dt (else last_seen_time)"),
        new("source_account_id", ColumnType.String, "the account whose exporter pulled the finding"),
        new("source_region", ColumnType.String, "the Region it was pulled from"),
        new("export_id", ColumnType.String, "the export's ID"),
        new("exported_at", ColumnType.Timestamp, "when the export started (its pinned end)"),
        new("finding", ColumnType.String, "the untouched OCSF finding JSON, as GetFindingsV2 returned it"),
    ];
}
