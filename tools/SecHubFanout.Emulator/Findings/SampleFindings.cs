using System.Globalization;
using System.Text;

namespace SecHubFanout.Emulator.Findings;

/// <summary>Realistic ASFF findings as raw compact UTF-8 JSON, the way Security Hub returns them (non-ASCII text unescaped).</summary>
public static class SampleFindings
{
    /// <summary>A Security Hub control finding of about 3 KB, deterministic for <paramref name="index"/>; <paramref name="padding"/> adds that many characters of description.</summary>
    public static byte[] Control(int index, string account = "111122223333", string region = "eu-west-1", int padding = 0)
    {
        var inv = CultureInfo.InvariantCulture;
        var control = (index % 7) switch
        {
            0 => "S3.1",
            1 => "EC2.19",
            2 => "IAM.6",
            3 => "CloudTrail.1",
            4 => "Lambda.2",
            5 => "RDS.3",
            _ => "KMS.4",
        };
        var (label, normalized) = (index % 5) switch
        {
            0 => ("CRITICAL", 90),
            1 => ("HIGH", 70),
            2 => ("MEDIUM", 40),
            3 => ("LOW", 1),
            _ => ("INFORMATIONAL", 0),
        };
        var status = index % 3 == 0 ? "FAILED" : "PASSED";
        var created = new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(index * 7);
        var updated = created.AddHours(3).AddMilliseconds(index % 1000);
        var id = $"arn:aws:securityhub:{region}:{account}:subscription/aws-foundational-security-best-practices/v/1.0.0/{control}/finding/{Guid(index)}";
        var bucket = $"example-bucket-{index.ToString("D6", inv)}";
        var description = "This control checks whether the resource follows the AWS Foundational Security Best Practices. "
            + "Findings are generated every 12 hours for periodic checks and on configuration change for change-triggered checks. "
            + new string('x', padding);
        var sb = new StringBuilder(4096);
        sb.Append(inv, $"{{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"{id}\",\"ProductArn\":\"arn:aws:securityhub:{region}::product/aws/securityhub\",");
        sb.Append(inv, $"\"ProductName\":\"Security Hub\",\"CompanyName\":\"AWS\",\"Region\":\"{region}\",");
        sb.Append(inv, $"\"GeneratorId\":\"security-control/{control}\",\"AwsAccountId\":\"{account}\",");
        sb.Append("\"Types\":[\"Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices\",\"Effects/Data Exposure\"],");
        sb.Append(inv, $"\"FirstObservedAt\":\"{created:yyyy-MM-ddTHH:mm:ss.fff}Z\",\"LastObservedAt\":\"{updated:yyyy-MM-ddTHH:mm:ss.fff}Z\",");
        sb.Append(inv, $"\"CreatedAt\":\"{created:yyyy-MM-ddTHH:mm:ss.fff}Z\",\"UpdatedAt\":\"{updated:yyyy-MM-ddTHH:mm:ss.fff}Z\",");
        sb.Append(inv, $"\"Severity\":{{\"Product\":{normalized},\"Label\":\"{label}\",\"Normalized\":{normalized},\"Original\":\"{label}\"}},");
        sb.Append(inv, $"\"Title\":\"{control} resources should be configured according to best practices\",");
        sb.Append(inv, $"\"Description\":\"{description}\",");
        sb.Append(inv, $"\"Remediation\":{{\"Recommendation\":{{\"Text\":\"For information on how to correct this issue, consult the AWS Security Hub controls documentation.\",\"Url\":\"https://docs.aws.amazon.com/console/securityhub/{control}/remediation\"}}}},");
        sb.Append(inv, $"\"ProductFields\":{{\"StandardsArn\":\"arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0\",\"StandardsSubscriptionArn\":\"arn:aws:securityhub:{region}:{account}:subscription/aws-foundational-security-best-practices/v/1.0.0\",\"ControlId\":\"{control}\",\"RecommendationUrl\":\"https://docs.aws.amazon.com/console/securityhub/{control}/remediation\",\"RelatedAWSResources:0/name\":\"securityhub-{control.ToLowerInvariant()}-check\",\"RelatedAWSResources:0/type\":\"AWS::Config::ConfigRule\",\"StandardsControlArn\":\"arn:aws:securityhub:{region}:{account}:control/aws-foundational-security-best-practices/v/1.0.0/{control}\",\"aws/securityhub/ProductName\":\"Security Hub\",\"aws/securityhub/CompanyName\":\"AWS\",\"Resources:0/Id\":\"arn:aws:s3:::{bucket}\",\"aws/securityhub/FindingId\":\"arn:aws:securityhub:{region}::product/aws/securityhub/{Guid(index)}\"}},");
        sb.Append(inv, $"\"Resources\":[{{\"Type\":\"AwsS3Bucket\",\"Id\":\"arn:aws:s3:::{bucket}\",\"Partition\":\"aws\",\"Region\":\"{region}\",\"Details\":{{\"AwsS3Bucket\":{{\"OwnerId\":\"{Guid(index + 1)}\",\"CreatedAt\":\"2025-01-15T08:00:00.000Z\",\"ServerSideEncryptionConfiguration\":{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"aws:kms\"}}}}]}},\"PublicAccessBlockConfiguration\":{{\"BlockPublicAcls\":true,\"BlockPublicPolicy\":true,\"IgnorePublicAcls\":true,\"RestrictPublicBuckets\":true}}}}}}}},");
        sb.Append(inv, $"{{\"Type\":\"AwsAccount\",\"Id\":\"AWS::::Account:{account}\",\"Partition\":\"aws\",\"Region\":\"{region}\"}}],");
        sb.Append(inv, $"\"Compliance\":{{\"Status\":\"{status}\",\"SecurityControlId\":\"{control}\",\"AssociatedStandards\":[{{\"StandardsId\":\"standards/aws-foundational-security-best-practices/v/1.0.0\"}}]}},");
        sb.Append("\"WorkflowState\":\"NEW\",\"Workflow\":{\"Status\":\"NEW\"},\"RecordState\":\"ACTIVE\",");
        sb.Append(inv, $"\"FindingProviderFields\":{{\"Severity\":{{\"Label\":\"{label}\",\"Original\":\"{label}\"}},\"Types\":[\"Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices\"]}},");
        sb.Append(inv, $"\"ProcessedAt\":\"{updated.AddSeconds(2):yyyy-MM-ddTHH:mm:ss.fff}Z\",\"AwsAccountName\":\"workload-{index % 10}\"}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A GetFindings response body holding <paramref name="count"/> findings from <see cref="Control"/>.</summary>
    public static byte[] Page(int count, int firstIndex = 0)
    {
        var body = new List<byte>(count * 3300);
        body.AddRange("{\"Findings\":["u8.ToArray());
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                body.Add((byte)',');
            }

            body.AddRange(Control(firstIndex + i));
        }

        body.AddRange("],\"NextToken\":\"eyJ0b2tlbiI6Im5leHQifQ==\"}"u8.ToArray());
        return [.. body];
    }

    private static string Guid(int index) => new System.Guid(index, (short)(index >> 16), 0x4a1f, 0x8a, 0x2b, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66).ToString();
}
