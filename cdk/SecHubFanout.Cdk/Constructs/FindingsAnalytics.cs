using Amazon.CDK;
using Amazon.CDK.AWS.Athena;
using Amazon.CDK.AWS.Glue;
using Constructs;
using SecHubFanout.Core.Analytics;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>The Glue database and Parquet table over findings/ (partitions registered by the coordinator) and the Athena workgroup.</summary>
public sealed class FindingsAnalytics : Construct
{
    /// <summary>The Glue database name.</summary>
    public const string DatabaseName = "sechub_fanout";

    /// <summary>The Glue table name (ASFF findings of GetFindings).</summary>
    public const string TableName = "findings";

    /// <summary>The Glue table of OCSF findings (GetFindingsV2), over the same bucket; its partitions lie below findings/account_id=A/ocsf/.</summary>
    public const string OcsfTableName = "findings_ocsf";

    /// <summary>The Athena workgroup name.</summary>
    public const string WorkGroupName = "sechub-fanout";

    /// <summary>Key prefix of Athena query results in the findings bucket.</summary>
    public const string ResultsPrefix = "athena-results/";

    public FindingsAnalytics(Construct scope, string id, FindingsAnalyticsProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        var database = new CfnDatabase(this, "Database", new CfnDatabaseProps
        {
            CatalogId = stack.Account,
            DatabaseInput = new CfnDatabase.DatabaseInputProperty
            {
                Name = DatabaseName,
                Description = "SecHubFanout: Security Hub findings of the organization.",
            },
        });

        // No partition projection: the coordinator registers a partition only when its (account, Region) is complete,
        // so queries never see half an export.
        var table = Table("Table", FindingTable.Asff, props, database, "One row per exported finding (Parquet), partitioned like the object keys.");
        var ocsfTable = Table("OcsfTable", FindingTable.Ocsf, props, database, "One row per exported OCSF finding of GetFindingsV2 (Parquet), partitioned like the object keys.");

        var workGroup = new CfnWorkGroup(this, "WorkGroup", new CfnWorkGroupProps
        {
            Name = WorkGroupName,
            Description = "SecHubFanout queries: results encrypted with the findings key, settings enforced.",
            RecursiveDeleteOption = true,
            WorkGroupConfiguration = new CfnWorkGroup.WorkGroupConfigurationProperty
            {
                EnforceWorkGroupConfiguration = true,
                PublishCloudWatchMetricsEnabled = true,
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = $"s3://{props.Bucket.BucketName}/{ResultsPrefix}",
                    EncryptionConfiguration = new CfnWorkGroup.EncryptionConfigurationProperty
                    {
                        EncryptionOption = "SSE_KMS",
                        KmsKey = props.Key.KeyArn,
                    },
                },
            },
        });

        // One named query per analytics view (the same SQL the CLI runs on DuckDB): running it creates or replaces the view.
        foreach (var (views, viewTable) in new[] { (AnalyticsViews.All, table), (AnalyticsViews.Ocsf, ocsfTable) })
        {
            foreach (var view in views)
            {
                var query = new CfnNamedQuery(this, "View-" + view.Name, new CfnNamedQueryProps
                {
                    Name = view.Name,
                    Description = view.Description.Length > 1024 ? view.Description[..1024] : view.Description,
                    Database = DatabaseName,
                    WorkGroup = WorkGroupName,
                    QueryString = view.AthenaSql(DatabaseName, view.Table.Name),
                });
                query.AddDependency(workGroup);
                query.AddDependency(viewTable);
            }
        }

        TableArn = $"arn:{Aws.PARTITION}:glue:{stack.Region}:{stack.Account}:table/{DatabaseName}/{TableName}";
        OcsfTableArn = $"arn:{Aws.PARTITION}:glue:{stack.Region}:{stack.Account}:table/{DatabaseName}/{OcsfTableName}";
        DatabaseArn = $"arn:{Aws.PARTITION}:glue:{stack.Region}:{stack.Account}:database/{DatabaseName}";
        CatalogArn = $"arn:{Aws.PARTITION}:glue:{stack.Region}:{stack.Account}:catalog";
    }

    /// <summary>The table's ARN (for glue:BatchCreatePartition).</summary>
    public string TableArn { get; }

    /// <summary>The OCSF table's ARN (for glue:BatchCreatePartition).</summary>
    public string OcsfTableArn { get; }

    /// <summary>The database's ARN.</summary>
    public string DatabaseArn { get; }

    /// <summary>The Data Catalog's ARN (Glue authorizes partition calls on catalog, database and table).</summary>
    public string CatalogArn { get; }

    // One Glue table per exported schema, both straight from FindingTable (the encoder's own column definitions).
    private CfnTable Table(string id, FindingTable findingTable, FindingsAnalyticsProps props, CfnDatabase database, string description)
    {
        var stack = Stack.Of(this);
        var table = new CfnTable(this, id, new CfnTableProps
        {
            CatalogId = stack.Account,
            DatabaseName = DatabaseName,
            TableInput = new CfnTable.TableInputProperty
            {
                Name = findingTable.Name,
                Description = description,
                TableType = "EXTERNAL_TABLE",
                Parameters = new Dictionary<string, object> { ["classification"] = "parquet", ["EXTERNAL"] = "TRUE" },
                PartitionKeys = findingTable.PartitionKeys.Select(Column).ToArray(),
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Columns = GlueTypes.TableColumns(findingTable).Select(Column).ToArray(),
                    Location = $"s3://{props.Bucket.BucketName}/{FanoutNames.FindingsPrefix}",
                    InputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    OutputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    SerdeInfo = new CfnTable.SerdeInfoProperty
                    {
                        SerializationLibrary = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    },
                },
            },
        });
        table.AddDependency(database);
        return table;
    }

    private static CfnTable.ColumnProperty Column(ColumnDefinition column) => new()
    {
        Name = column.Name,
        Type = GlueTypes.Of(column.Type),
        Comment = column.Source.Length > 255 ? column.Source[..255] : column.Source,
    };
}
