namespace SecHubFanout.Core.Schema;

/// <summary>
/// The one definition of the export's row schema, shared by the Parquet writer, the Glue table, the DuckDB view and the README.
/// Every column may be null when the finding lacks the field.
/// </summary>
public static class FindingSchema
{
    /// <summary>Partition keys encoded in the object key (Hive style), in order: they are not stored in the files.</summary>
    public static IReadOnlyList<ColumnDefinition> PartitionKeys { get; } =
    [
        new("account_id", ColumnType.String, "the member account the finding was exported from (first, for the bucket policy)"),
        new("region", ColumnType.String, "the Region the finding was exported from"),
        new("export_date", ColumnType.String, "UTC date the export started, yyyy-MM-dd"),
        new("export_id", ColumnType.String, "the export's ID"),
    ];

    /// <summary>The columns stored in each file, in order.</summary>
    public static IReadOnlyList<ColumnDefinition> Columns { get; } =
    [
        new("id", ColumnType.String, "Id"),
        new("product_arn", ColumnType.String, "ProductArn"),
        new("product_name", ColumnType.String, "ProductName"),
        new("company_name", ColumnType.String, "CompanyName"),
        new("generator_id", ColumnType.String, "GeneratorId"),
        new("aws_account_id", ColumnType.String, "AwsAccountId"),
        new("finding_region", ColumnType.String, "Region (named finding_region: `region` is a partition key)"),
        new("title", ColumnType.String, "Title"),
        new("severity_label", ColumnType.String, "Severity.Label"),
        new("severity_normalized", ColumnType.Int, "Severity.Normalized"),
        new("compliance_status", ColumnType.String, "Compliance.Status"),
        new("security_control_id", ColumnType.String, "Compliance.SecurityControlId"),
        new("workflow_status", ColumnType.String, "Workflow.Status"),
        new("record_state", ColumnType.String, "RecordState"),
        new("types", ColumnType.StringList, "Types[]"),
        new("resource_types", ColumnType.StringList, "Resources[].Type"),
        new("resource_ids", ColumnType.StringList, "Resources[].Id"),
        new("created_at", ColumnType.Timestamp, "CreatedAt"),
        new("updated_at", ColumnType.Timestamp, "UpdatedAt"),
        new("first_observed_at", ColumnType.Timestamp, "FirstObservedAt"),
        new("last_observed_at", ColumnType.Timestamp, "LastObservedAt"),
        new("source_account_id", ColumnType.String, "the account whose exporter pulled the finding"),
        new("source_region", ColumnType.String, "the Region it was pulled from (can differ from finding_region with cross-Region aggregation)"),
        new("export_id", ColumnType.String, "the export's ID"),
        new("exported_at", ColumnType.Timestamp, "when the export started (its pinned end)"),
        new("finding", ColumnType.String, "the untouched finding JSON, as Security Hub returned it"),
    ];
}
