using System.Globalization;
using System.Text.Json;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary>One finding version to write into the fixture export.</summary>
internal sealed record FixtureFinding(
    string Id, string Account, string Region, string Title, string Severity, string? Compliance, string? Control,
    string? Workflow, string RecordState, string[] Resources, DateTimeOffset UpdatedAt, string ExportId, DateTimeOffset ExportedAt,
    string ProductArn = "arn:aws:securityhub:us-east-1::product/aws/securityhub");

/// <summary>
/// Writes findings as ASFF JSON through the project's Parquet writer (ParquetPartFormat) into the export's Hive layout
/// (findings/account_id=/region=/export_date=/export_id=/part-0-0.parquet), stored by the local DirectoryPartSink.
/// </summary>
internal static class ParquetFixture
{
    public static void Write(string exportRoot, IEnumerable<FixtureFinding> findings) =>
        WriteAsync(exportRoot, findings).GetAwaiter().GetResult();

    public static async Task WriteAsync(string exportRoot, IEnumerable<FixtureFinding> findings)
    {
        var format = new ParquetPartFormat();
        var sink = new DirectoryPartSink(exportRoot);
        foreach (var part in findings.GroupBy(f => (f.Account, f.Region, f.ExportId, f.ExportedAt)))
        {
            var (account, region, exportId, exportedAt) = part.Key;
            using var buffer = new MemoryStream();
            await using (var encoder = format.CreateEncoder(new PartContext(exportId, account, region, exportedAt), buffer))
            {
                foreach (var finding in part)
                {
                    await encoder.AddAsync(Asff(finding), CancellationToken.None);
                }

                await encoder.CompleteAsync(CancellationToken.None);
            }

            buffer.Position = 0;
            var key = $"findings/account_id={account}/region={region}/export_date={exportedAt.UtcDateTime:yyyy-MM-dd}/export_id={exportId}/part-0-0{format.Extension}";
            await sink.PutAsync(key, buffer, format.ContentType, CancellationToken.None);
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

    private static byte[] Asff(FixtureFinding f)
    {
        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var normalized = f.Severity switch { "CRITICAL" => 90, "HIGH" => 70, "MEDIUM" => 40, "LOW" => 1, _ => 0 };
        var finding = new Dictionary<string, object?>
        {
            ["SchemaVersion"] = "2018-10-08",
            ["Id"] = f.Id,
            ["ProductArn"] = f.ProductArn,
            ["ProductName"] = "Security Hub",
            ["CompanyName"] = "AWS",
            ["Region"] = f.Region,
            ["GeneratorId"] = f.Control is null ? "guardduty" : "security-control/" + f.Control,
            ["AwsAccountId"] = f.Account,
            ["Types"] = new[] { "Software and Configuration Checks/Industry and Regulatory Standards" },
            ["FirstObservedAt"] = Time(f.UpdatedAt.AddDays(-1)),
            ["LastObservedAt"] = Time(f.UpdatedAt),
            ["CreatedAt"] = Time(f.UpdatedAt.AddDays(-1)),
            ["UpdatedAt"] = Time(f.UpdatedAt),
            ["Severity"] = new Dictionary<string, object> { ["Label"] = f.Severity, ["Normalized"] = normalized },
            ["Title"] = f.Title,
            ["Description"] = "Fixture finding.",
            ["Resources"] = f.Resources.Select(r => new Dictionary<string, string> { ["Type"] = "AwsS3Bucket", ["Id"] = r, ["Partition"] = "aws", ["Region"] = f.Region }).ToArray(),
            ["RecordState"] = f.RecordState,
        };
        if (f.Compliance is not null || f.Control is not null)
        {
            finding["Compliance"] = new Dictionary<string, string?> { ["Status"] = f.Compliance, ["SecurityControlId"] = f.Control };
        }

        if (f.Workflow is not null)
        {
            finding["Workflow"] = new Dictionary<string, string> { ["Status"] = f.Workflow };
        }

        return JsonSerializer.SerializeToUtf8Bytes(finding);
    }
}
