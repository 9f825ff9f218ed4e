using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SecHubFanout.Emulator.Findings;

/// <summary>
/// The generated findings of one account and Region. Nothing per finding is stored: every attribute and the JSON are
/// derived from (seed, account, Region, index), so millions of findings cost no memory and render the same bytes every time.
/// </summary>
internal sealed partial class SyntheticFindings
{
    private const long MillisPerHour = 3_600_000;
    private const long MillisPerDay = 24 * MillisPerHour;
    private const long SpreadMillis = 120 * MillisPerDay;
    private const int LargeFindingBytes = 230 * 1024;
    private const string Annotation = "Zugriff verweigert — 東京 ✓";

    private static readonly ControlTemplate[] _catalog =
    [
        new(ProductKind.SecurityHub, "S3.1", "S3 general purpose buckets should have block public access settings enabled", "AwsAccount", "MEDIUM", "This control checks whether the preceding Amazon S3 block public access settings are configured at the account level.", "https://docs.aws.amazon.com/console/securityhub/S3.1/remediation"),
        new(ProductKind.SecurityHub, "S3.5", "S3 general purpose buckets should require requests to use SSL", "AwsS3Bucket", "MEDIUM", "This control checks whether an Amazon S3 general purpose bucket has a policy that requires requests to use SSL.", "https://docs.aws.amazon.com/console/securityhub/S3.5/remediation"),
        new(ProductKind.SecurityHub, "EC2.2", "VPC default security groups should not allow inbound or outbound traffic", "AwsEc2SecurityGroup", "HIGH", "This control checks whether the default security group of a VPC allows inbound or outbound traffic.", "https://docs.aws.amazon.com/console/securityhub/EC2.2/remediation"),
        new(ProductKind.SecurityHub, "EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)", "AwsEc2Instance", "HIGH", "This control checks whether your Amazon EC2 instance metadata version is configured with IMDSv2.", "https://docs.aws.amazon.com/console/securityhub/EC2.8/remediation"),
        new(ProductKind.SecurityHub, "EC2.19", "Security groups should not allow unrestricted access to ports with high risk", "AwsEc2SecurityGroup", "CRITICAL", "This control checks whether unrestricted incoming traffic is accessible to the specified ports that are considered to be high risk.", "https://docs.aws.amazon.com/console/securityhub/EC2.19/remediation"),
        new(ProductKind.SecurityHub, "IAM.1", "IAM policies should not allow full \"*\" administrative privileges", "AwsIamPolicy", "HIGH", "This control checks whether the default version of an IAM policy has administrator access that includes a statement with \"Effect\": \"Allow\" with \"Action\": \"*\" over \"Resource\": \"*\".", "https://docs.aws.amazon.com/console/securityhub/IAM.1/remediation"),
        new(ProductKind.SecurityHub, "IAM.6", "Hardware MFA should be enabled for the root user", "AwsAccount", "CRITICAL", "This control checks whether your AWS account is enabled to use a hardware multi-factor authentication (MFA) device to sign in with root user credentials.", "https://docs.aws.amazon.com/console/securityhub/IAM.6/remediation"),
        new(ProductKind.SecurityHub, "KMS.4", "AWS KMS key rotation should be enabled", "AwsKmsKey", "MEDIUM", "This control checks whether automatic key rotation is enabled for a specific AWS KMS key.", "https://docs.aws.amazon.com/console/securityhub/KMS.4/remediation"),
        new(ProductKind.SecurityHub, "Lambda.2", "Lambda functions should use supported runtimes", "AwsLambdaFunction", "MEDIUM", "This control checks whether the AWS Lambda function settings for runtimes match the expected values set for the supported runtimes.", "https://docs.aws.amazon.com/console/securityhub/Lambda.2/remediation"),
        new(ProductKind.SecurityHub, "RDS.3", "RDS DB instances should have encryption at-rest enabled", "AwsRdsDbInstance", "MEDIUM", "This control checks whether storage encryption is enabled for your Amazon RDS DB instances.", "https://docs.aws.amazon.com/console/securityhub/RDS.3/remediation"),
        new(ProductKind.SecurityHub, "CloudTrail.1", "CloudTrail should be enabled and configured with at least one multi-Region trail — Zugriff protokollieren", "AwsAccount", "HIGH", "This control checks whether there is at least one multi-Region AWS CloudTrail trail that captures read and write management events.", "https://docs.aws.amazon.com/console/securityhub/CloudTrail.1/remediation"),
        new(ProductKind.GuardDuty, "Recon:EC2/PortProbeUnprotectedPort", "Unprotected port on EC2 instance is being probed.", "AwsEc2Instance", "LOW", "An unprotected port on an EC2 instance is being probed by a known malicious host.", "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_remediate.html"),
        new(ProductKind.GuardDuty, "UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B", "Unusual console logins were seen for principal app-user.", "AwsIamRole", "MEDIUM", "Multiple worldwide successful console logins were observed.", "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_remediate.html"),
        new(ProductKind.Inspector, "CVE-2024-3094", "CVE-2024-3094 - xz-utils, liblzma", "AwsEc2Instance", "CRITICAL", "Malicious code was discovered in the upstream tarballs of xz, starting with version 5.6.0.", "https://nvd.nist.gov/vuln/detail/CVE-2024-3094"),
        new(ProductKind.Inspector, "CVE-2023-44487", "CVE-2023-44487 - nghttp2", "AwsLambdaFunction", "HIGH", "The HTTP/2 protocol allows a denial of service (server resource consumption) because request cancellation can reset many streams quickly.", "https://nvd.nist.gov/vuln/detail/CVE-2023-44487"),
    ];

    private static readonly string[] _severities = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
    private static readonly Lazy<string> _padding = new(BuildPadding);

    private readonly ulong _salt;
    private readonly ulong _idMask;
    private readonly int _largeEvery;

    public SyntheticFindings(int seed, string accountId, string region, int count, DateTimeOffset now, int largeEvery)
    {
        AccountId = accountId;
        Region = region;
        Count = count;
        _largeEvery = largeEvery;
        // Whole hours and whole days line up only if "now" itself is on a whole hour.
        NowMillis = now.ToUnixTimeMilliseconds() / MillisPerHour * MillisPerHour;
        _salt = Mix((ulong)(uint)seed ^ StableHash(accountId) ^ (StableHash(region) << 1));
        _idMask = Mix(_salt ^ 0x5EC0_4B0B) & 0xFFFF_FFFF_FFFFUL;
        (PermutationStep, PermutationOffset) = Permutation(count, _salt);
    }

    public string AccountId { get; }

    public string Region { get; }

    public int Count { get; }

    public long NowMillis { get; }

    /// <summary>Default (unsorted) order is the seeded permutation rank -> (step * rank + offset) mod Count: deliberately not time order.</summary>
    public long PermutationStep { get; }

    public long PermutationOffset { get; }

    public int IndexAtRank(int rank) => (int)(((PermutationStep * rank) + PermutationOffset) % Count);

    public string GetString(FindingField field, int i) => field switch
    {
        FindingField.Id => Id(i),
        FindingField.ProductArn => ProductArn(Template(i).Product),
        FindingField.ProductName => ProductName(Template(i).Product),
        FindingField.CompanyName => Template(i).Product == ProductKind.SecurityHub ? "AWS" : "Amazon",
        FindingField.GeneratorId => GeneratorId(i),
        FindingField.AwsAccountId => AccountId,
        FindingField.Region => Region,
        FindingField.SeverityLabel => SeverityLabel(i),
        FindingField.ComplianceStatus => ComplianceStatus(i) ?? string.Empty,
        FindingField.ComplianceSecurityControlId => Template(i).Product == ProductKind.SecurityHub ? Template(i).ControlId : string.Empty,
        FindingField.WorkflowStatus => WorkflowStatus(i),
        FindingField.RecordState => RecordState(i),
        FindingField.Title => Template(i).Title,
        FindingField.ResourceType => Template(i).ResourceType,
        FindingField.ResourceId => ResourceId(i),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Whether the field exists on finding i (GuardDuty and Inspector findings carry no Compliance).</summary>
    public bool Has(FindingField field, int i) =>
        field is not (FindingField.ComplianceStatus or FindingField.ComplianceSecurityControlId) || Template(i).Product == ProductKind.SecurityHub;

    public long GetDate(DateField field, int i) => field switch
    {
        DateField.UpdatedAt or DateField.LastObservedAt => UpdatedAt(i),
        DateField.CreatedAt or DateField.FirstObservedAt => CreatedAt(i),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public string Id(int i)
    {
        var t = Template(i);
        var h = Hash(i, 1);
        var tail = ((ulong)i ^ _idMask).ToString("x12", CultureInfo.InvariantCulture);
        return t.Product switch
        {
            ProductKind.SecurityHub => string.Create(CultureInfo.InvariantCulture, $"arn:aws:securityhub:{Region}:{AccountId}:security-control/{t.ControlId}/finding/{(uint)h:x8}-{(ushort)(h >> 32):x4}-4{(ushort)(h >> 48) & 0xfff:x3}-a{(ushort)(h >> 20) & 0xfff:x3}-{tail}"),
            ProductKind.GuardDuty => string.Create(CultureInfo.InvariantCulture, $"arn:aws:guardduty:{Region}:{AccountId}:detector/{DetectorId()}/finding/{h:x16}{(uint)(h >> 7):x4}{tail}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"arn:aws:inspector2:{Region}:{AccountId}:finding/{h:x16}{(uint)(h >> 9):x4}{tail}"),
        };
    }

    /// <summary>The index of a generated Id, or -1: the last 12 hex digits of every Id encode the index.</summary>
    public int IndexOf(string id)
    {
        if (id.Length < 12 || !ulong.TryParse(id.AsSpan(id.Length - 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tail))
        {
            return -1;
        }

        var i = tail ^ _idMask;
        return i < (ulong)Count && Id((int)i) == id ? (int)i : -1;
    }

    public bool IsLarge(int i) => _largeEvery > 0 && (i + 1) % _largeEvery == 0;

    public void Write(Utf8JsonWriter w, int i)
    {
        var t = Template(i);
        var h = Hash(i, 3);
        var severity = SeverityLabel(i);
        var compliance = ComplianceStatus(i);
        var workflow = WorkflowStatus(i);
        var created = Timestamp(CreatedAt(i));
        var updated = Timestamp(UpdatedAt(i));
        var resourceId = ResourceId(i);
        var productArn = ProductArn(t.Product);
        var id = Id(i);

        w.WriteStartObject();
        w.WriteString("SchemaVersion", "2018-10-08");
        w.WriteString("Id", id);
        w.WriteString("ProductArn", productArn);
        w.WriteString("ProductName", ProductName(t.Product));
        w.WriteString("CompanyName", t.Product == ProductKind.SecurityHub ? "AWS" : "Amazon");
        w.WriteString("Region", Region);
        w.WriteString("GeneratorId", GeneratorId(i));
        w.WriteString("AwsAccountId", AccountId);
        w.WriteStartArray("Types");
        w.WriteStringValue(t.Product switch
        {
            ProductKind.SecurityHub => "Software and Configuration Checks/Industry and Regulatory Standards",
            ProductKind.GuardDuty => "TTPs/Discovery/" + t.ControlId,
            _ => "Software and Configuration Checks/Vulnerabilities/CVE",
        });
        w.WriteEndArray();
        w.WriteString("FirstObservedAt", created);
        w.WriteString("LastObservedAt", updated);
        w.WriteString("CreatedAt", created);
        w.WriteString("UpdatedAt", updated);
        w.WriteStartObject("Severity");
        w.WriteString("Label", severity);
        w.WriteNumber("Normalized", NormalizedSeverity(severity));
        w.WriteString("Original", severity);
        w.WriteEndObject();
        w.WriteString("Title", t.Title);
        w.WriteString("Description", t.Description + " Finding " + (i + 1).ToString(CultureInfo.InvariantCulture) + " of the emulated account " + AccountId + " in " + Region + "; review the resource and its owner before changing it.");
        w.WriteStartObject("Remediation");
        w.WriteStartObject("Recommendation");
        w.WriteString("Text", "For information on how to correct this issue, consult the AWS Security Hub controls documentation.");
        w.WriteString("Url", t.RemediationUrl);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("ProductFields");
        w.WriteString("RelatedAWSResources:0/name", t.RuleNamePrefix + (h & 0xffffff).ToString("x6", CultureInfo.InvariantCulture));
        w.WriteString("RelatedAWSResources:0/type", "AWS::Config::ConfigRule");
        w.WriteString("aws/securityhub/ProductName", ProductName(t.Product));
        w.WriteString("aws/securityhub/CompanyName", t.Product == ProductKind.SecurityHub ? "AWS" : "Amazon");
        w.WriteString("aws/securityhub/annotation", i % 3 == 0 ? Annotation : "Checked by the emulator");
        w.WriteString("Resources:0/Id", resourceId);
        w.WriteString("aws/securityhub/FindingId", id);
        w.WriteEndObject();
        w.WriteStartArray("Resources");
        w.WriteStartObject();
        w.WriteString("Type", t.ResourceType);
        w.WriteString("Id", resourceId);
        w.WriteString("Partition", "aws");
        w.WriteString("Region", Region);
        w.WriteStartObject("Tags");
        w.WriteString("team", "team-" + ((h >> 12) % 9).ToString(CultureInfo.InvariantCulture));
        w.WriteString("environment", ((h >> 16) % 3) switch { 0 => "prod", 1 => "staging", _ => "dev" });
        w.WriteEndObject();
        w.WriteStartObject("Details");
        w.WriteStartObject("Other");
        w.WriteString("Owner", "app-" + ((h >> 20) % 97).ToString(CultureInfo.InvariantCulture) + "@example.com");
        w.WriteString("Note", Annotation);
        if (IsLarge(i))
        {
            w.WriteString("PolicyDocument", _padding.Value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        if (compliance is not null)
        {
            w.WriteStartObject("Compliance");
            w.WriteString("Status", compliance);
            w.WriteString("SecurityControlId", t.ControlId);
            w.WriteStartArray("AssociatedStandards");
            w.WriteStartObject();
            w.WriteString("StandardsId", "standards/aws-foundational-security-best-practices/v/1.0.0");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("RelatedRequirements");
            w.WriteStringValue("NIST.800-53.r5 AC-3");
            w.WriteStringValue("PCI DSS v4.0.1/1.4.1");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteString("WorkflowState", workflow switch { "NEW" => "NEW", "NOTIFIED" => "ASSIGNED", "RESOLVED" => "RESOLVED", _ => "DEFERRED" });
        w.WriteStartObject("Workflow");
        w.WriteString("Status", workflow);
        w.WriteEndObject();
        w.WriteString("RecordState", RecordState(i));
        w.WriteStartObject("FindingProviderFields");
        w.WriteStartObject("Severity");
        w.WriteString("Label", severity);
        w.WriteString("Original", severity);
        w.WriteEndObject();
        w.WriteStartArray("Types");
        w.WriteStringValue(t.Product == ProductKind.SecurityHub ? "Software and Configuration Checks/Industry and Regulatory Standards" : "Software and Configuration Checks");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteString("ProcessedAt", Timestamp(UpdatedAt(i) + 1234 + (long)(h % 5000)));
        w.WriteEndObject();
    }

    /// <summary>AWS's timestamp format: ISO 8601, UTC, milliseconds, Z.</summary>
    public static string Timestamp(long unixMillis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMillis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private long UpdatedAt(int i)
    {
        var h = Hash(i, 2);
        var pick = h % 100;
        var r = h >> 8;
        return pick switch
        {
            // A few dozen instants shared by many findings: window bounds that land on one must not lose or repeat any.
            < 10 => NowMillis - 1 - ((long)(r % 40) * 259_123_457L % SpreadMillis),
            // Whole hours and whole days (.000Z) are where half-open/closed window mistakes show.
            < 30 => NowMillis - ((long)(r % (120 * 24)) * MillisPerHour),
            < 38 => (NowMillis / MillisPerDay * MillisPerDay) - ((long)(r % 120) * MillisPerDay),
            _ => NowMillis - (long)(r % (ulong)SpreadMillis),
        };
    }

    private long CreatedAt(int i) => UpdatedAt(i) - (long)(Hash(i, 4) % (30 * (ulong)MillisPerDay));

    private ControlTemplate Template(int i) => _catalog[Hash(i, 0) % (ulong)_catalog.Length];

    private string SeverityLabel(int i)
    {
        var t = Template(i);
        if (ComplianceStatus(i) == "PASSED")
        {
            return "INFORMATIONAL";
        }

        var h = Hash(i, 5) % 10;
        var index = Array.IndexOf(_severities, t.Severity);
        // Mostly the control's own severity, sometimes one step either side, as products re-score.
        return _severities[Math.Clamp(index + (h == 0 ? -1 : h == 9 ? 1 : 0), 0, _severities.Length - 1)];
    }

    private string? ComplianceStatus(int i)
    {
        if (Template(i).Product != ProductKind.SecurityHub)
        {
            return null;
        }

        return (Hash(i, 6) % 100) switch
        {
            < 45 => "PASSED",
            < 85 => "FAILED",
            < 90 => "WARNING",
            _ => "NOT_AVAILABLE",
        };
    }

    private string WorkflowStatus(int i)
    {
        if (ComplianceStatus(i) == "PASSED")
        {
            return "RESOLVED";
        }

        return (Hash(i, 7) % 100) switch
        {
            < 60 => "NEW",
            < 75 => "NOTIFIED",
            < 95 => "RESOLVED",
            _ => "SUPPRESSED",
        };
    }

    private string RecordState(int i) => Hash(i, 8) % 100 < 12 ? "ARCHIVED" : "ACTIVE";

    private string GeneratorId(int i)
    {
        var t = Template(i);
        return t.Product switch
        {
            ProductKind.SecurityHub => "security-control/" + t.ControlId,
            ProductKind.GuardDuty => string.Create(CultureInfo.InvariantCulture, $"arn:aws:guardduty:{Region}:{AccountId}:detector/{DetectorId()}"),
            _ => "AWSInspector",
        };
    }

    private string ResourceId(int i)
    {
        var t = Template(i);
        // Few resources, many findings each: as in real accounts.
        var n = Hash(i, 9) % 300;
        var h = Mix(_salt ^ (n * 0x9E37_79B9UL) ^ (ulong)t.ResourceType.Length);
        return t.ResourceType switch
        {
            "AwsEc2Instance" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:ec2:{Region}:{AccountId}:instance/i-{h:x16}{n % 16:x1}"),
            "AwsEc2SecurityGroup" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:ec2:{Region}:{AccountId}:security-group/sg-{h:x16}{n % 16:x1}"),
            "AwsS3Bucket" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:s3:::data-{AccountId}-{(uint)h:x8}"),
            "AwsIamPolicy" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:iam::{AccountId}:policy/app-policy-{n}"),
            "AwsIamRole" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:iam::{AccountId}:role/app-role-{n}"),
            "AwsKmsKey" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:kms:{Region}:{AccountId}:key/{(uint)h:x8}-{(ushort)(h >> 32):x4}-4{(ushort)(h >> 48) & 0xfff:x3}-8{n:x3}-{h:x12}"),
            "AwsLambdaFunction" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:lambda:{Region}:{AccountId}:function:fn-{n}"),
            "AwsRdsDbInstance" => string.Create(CultureInfo.InvariantCulture, $"arn:aws:rds:{Region}:{AccountId}:db:db-{n}"),
            _ => "AWS::::Account:" + AccountId,
        };
    }

    private string DetectorId() => (_salt & 0xFFFF_FFFF_FFFF).ToString("x12", CultureInfo.InvariantCulture) + "b2c3d4e5f6a7b8c9d0e1f2a3";

    private string ProductArn(ProductKind product) => product switch
    {
        ProductKind.SecurityHub => $"arn:aws:securityhub:{Region}::product/aws/securityhub",
        ProductKind.GuardDuty => $"arn:aws:securityhub:{Region}::product/aws/guardduty",
        _ => $"arn:aws:securityhub:{Region}::product/aws/inspector",
    };

    private static string ProductName(ProductKind product) => product switch
    {
        ProductKind.SecurityHub => "Security Hub",
        ProductKind.GuardDuty => "GuardDuty",
        _ => "Inspector",
    };

    private static int NormalizedSeverity(string label) => label switch
    {
        "INFORMATIONAL" => 0,
        "LOW" => 1,
        "MEDIUM" => 40,
        "HIGH" => 70,
        _ => 90,
    };

    private ulong Hash(int i, int field) => Mix(_salt + ((ulong)(uint)i * 0x9E37_79B9_7F4A_7C15UL) + ((ulong)field * 0xD1B5_4A32_D192_ED03UL));

    // SplitMix64 finaliser: cheap, well mixed, and identical on every platform and run.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    // string.GetHashCode is randomised per process; this one is not.
    private static ulong StableHash(string s)
    {
        var h = 0xCBF2_9CE4_8422_2325UL;
        foreach (var c in s)
        {
            h = (h ^ c) * 0x0000_0100_0000_01B3UL;
        }

        return h;
    }

    private static (long Step, long Offset) Permutation(int count, ulong salt)
    {
        if (count <= 1)
        {
            return (1, 0);
        }

        // Any step coprime with count walks every index exactly once.
        var step = (long)(Mix(salt ^ 0xABCD) % (ulong)count);
        while (step < 1 || Gcd(step, count) != 1)
        {
            step = (step + 1) % count;
        }

        return (step, (long)(Mix(salt ^ 0x1234) % (ulong)count));
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static string BuildPadding()
    {
        var sb = new StringBuilder(LargeFindingBytes);
        var line = 0;
        while (sb.Length < LargeFindingBytes - 4096)
        {
            // No characters that JSON escapes, so the rendered size is predictable.
            sb.Append(CultureInfo.InvariantCulture, $"Stmt{line++:D6} Allow s3:GetObject on arn:aws:s3:::bucket/prefix/*; ");
        }

        return sb.ToString();
    }
}
