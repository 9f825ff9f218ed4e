using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary>One finding version to write into the fixture export.</summary>
internal sealed record FixtureFinding(
    string Id, string Account, string Region, string Title, string Severity, string? Compliance, string? Control,
    string? Workflow, string RecordState, string[] Resources, DateTimeOffset UpdatedAt, string ExportId, DateTimeOffset ExportedAt,
    string ProductArn = "arn:aws:securityhub:us-east-1::product/aws/securityhub");

/// <summary>
/// Writes findings as Parquet in the export's Hive layout (findings/account_id=/region=/export_date=/export_id=/part-0-0.parquet)
/// with the column order and types of FindingSchema, using DuckDB's writer until the project's own Parquet writer lands.
/// DuckDB writes TIMESTAMP WITH TIME ZONE as TIMESTAMP(MICROS, UTC) instead of MILLIS; readers see the same instants.
/// </summary>
internal static class ParquetFixture
{
    public static void Write(string exportRoot, IEnumerable<FixtureFinding> findings)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var part in findings.GroupBy(f => (f.Account, f.Region, f.ExportId, f.ExportedAt)))
        {
            var (account, region, exportId, exportedAt) = part.Key;
            var directory = Path.Combine(exportRoot, "findings", $"account_id={account}", $"region={region}",
                $"export_date={exportedAt.UtcDateTime:yyyy-MM-dd}", $"export_id={exportId}");
            Directory.CreateDirectory(directory);
            var rows = string.Join(",\n", part.Select(f => "(" + string.Join(", ", FindingSchema.Columns.Select(c => Literal(c, f))) + ")"));
            var names = string.Join(", ", FindingSchema.Columns.Select(c => c.Name));
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM (VALUES {rows}) AS v({names})) TO '{Path.Combine(directory, "part-0-0.parquet")}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A realistic organization: 3 accounts x 2-3 Regions, ~400 findings over 36 hours, two exports, some updated in the second.</summary>
    public static IReadOnlyList<FixtureFinding> Organization()
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var e1 = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var e2 = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        (string Control, string Title, string Severity)[] controls =
        [
            ("S3.1", "S3 general purpose buckets should have block public access settings enabled", "MEDIUM"),
            ("IAM.6", "Hardware MFA should be enabled for the root user", "CRITICAL"),
            ("EC2.19", "Security groups should not allow unrestricted access to ports with high risk", "CRITICAL"),
            ("CloudTrail.1", "CloudTrail should be enabled and configured with at least one multi-Region trail", "HIGH"),
            ("EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)", "HIGH"),
            ("KMS.4", "AWS KMS key rotation should be enabled", "MEDIUM"),
            ("Lambda.2", "Lambda functions should use supported runtimes", "MEDIUM"),
            ("S3.9", "S3 general purpose bucket server access logging should be enabled", "LOW"),
            ("Config.1", "AWS Config should be enabled and use the service-linked role for resource recording", "INFORMATIONAL"),
        ];
        (string Account, string Region)[] places =
        [
            ("012345678901", "us-east-1"), ("012345678901", "eu-west-1"), ("210987654321", "us-east-1"),
            ("210987654321", "eu-west-1"), ("555566667777", "us-east-1"), ("555566667777", "ap-southeast-2"),
        ];
        var findings = new List<FixtureFinding>();
        for (var i = 0; i < 400; i++)
        {
            var (control, title, severity) = controls[random.Next(controls.Length)];
            var (account, region) = places[random.Next(places.Length)];
            var updated = start.AddMinutes(random.Next(36 * 60));
            var compliance = random.NextDouble() < 0.65 ? "FAILED" : "PASSED";
            var workflow = random.NextDouble() < 0.1 ? "SUPPRESSED" : "NEW";
            var resource = $"arn:aws:s3:::{account}-{region}-res-{random.Next(60)}";
            var id = $"arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{i:D4}";
            findings.Add(new(id, account, region, title, severity, compliance, control, workflow, "ACTIVE", [resource], updated, "exp-20261121", e1));
            if (random.NextDouble() < 0.2)
            {
                findings.Add(findings[^1] with { Compliance = "PASSED", UpdatedAt = updated.AddHours(random.Next(1, 12)), ExportId = "exp-20261122", ExportedAt = e2 });
            }
        }

        return findings;
    }

    private static string Literal(ColumnDefinition column, FixtureFinding f) => column.Name switch
    {
        "id" => Text(f.Id),
        "product_arn" => Text(f.ProductArn),
        "product_name" => Text("Security Hub"),
        "company_name" => Text("AWS"),
        "generator_id" => f.Control is null ? Text("guardduty") : Text("security-control/" + f.Control),
        "aws_account_id" => Text(f.Account),
        "finding_region" => Text(f.Region),
        "title" => Text(f.Title),
        "severity_label" => Text(f.Severity),
        "severity_normalized" => f.Severity switch { "CRITICAL" => "90", "HIGH" => "70", "MEDIUM" => "40", "LOW" => "1", _ => "0" } + "::INTEGER",
        "compliance_status" => Text(f.Compliance),
        "security_control_id" => Text(f.Control),
        "workflow_status" => Text(f.Workflow),
        "record_state" => Text(f.RecordState),
        "types" => List(["Software and Configuration Checks/Industry and Regulatory Standards"]),
        "resource_types" => List([.. f.Resources.Select(_ => "AwsS3Bucket")]),
        "resource_ids" => List(f.Resources),
        "created_at" or "first_observed_at" => Timestamp(f.UpdatedAt.AddDays(-1)),
        "updated_at" or "last_observed_at" => Timestamp(f.UpdatedAt),
        "source_account_id" => Text(f.Account),
        "source_region" => Text(f.Region),
        "export_id" => Text(f.ExportId),
        "exported_at" => Timestamp(f.ExportedAt),
        "finding" => Text(JsonSerializer.Serialize(new Dictionary<string, string> { ["Id"] = f.Id, ["Title"] = f.Title })),
        _ => throw new InvalidOperationException($"fixture has no value for the new column {column.Name}: add one"),
    };

    private static string Text(string? value) => value is null ? "NULL::VARCHAR" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string List(string[] values) => "[" + string.Join(", ", values.Select(Text)) + "]::VARCHAR[]";

    private static string Timestamp(DateTimeOffset value) =>
        "TIMESTAMPTZ '" + value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+00'";
}
