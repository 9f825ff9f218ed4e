using System.Globalization;
using System.Text.Json;

namespace SecHubFanout.Emulator.Findings;

/// <summary>
/// The same generated findings as OCSF 1.6 documents, as the new Security Hub's GetFindingsV2 returns them: Security Hub controls as
/// Compliance Findings (2003), Inspector CVEs as Vulnerability Findings (2002), GuardDuty as Detection Findings (2004). Every value is
/// derived from the ASFF attributes of the same index, so <c>finding_info.modified_time_dt</c> equals <c>UpdatedAt</c> (whole hours and days included).
/// </summary>
internal sealed partial class SyntheticFindings
{
    /// <summary>OCSF class of finding i.</summary>
    public int ClassUid(int i) => Template(i).Product switch
    {
        ProductKind.SecurityHub => 2003,
        ProductKind.Inspector => 2002,
        _ => 2004,
    };

    /// <summary>The values of an OCSF string field (dotted path, arrays flattened) on finding i; empty when absent.</summary>
    public IReadOnlyList<string> OcsfStrings(string field, int i)
    {
        var t = Template(i);
        var compliance = ComplianceStatus(i);
        return field switch
        {
            "activity_name" => [ActivityId(i) == 1 ? "Create" : "Update"],
            "class_name" => [ClassName(ClassUid(i))],
            "cloud.account.uid" => [AccountId],
            "cloud.provider" => ["AWS"],
            "cloud.region" => [Region],
            "compliance.control" when compliance is not null => [t.ControlId],
            "compliance.status" when compliance is not null => [OcsfComplianceStatus(compliance)],
            "compliance.standards" when compliance is not null => ["standards/aws-foundational-security-best-practices/v/1.0.0"],
            "finding_info.desc" => [Description(i)],
            "finding_info.title" => [t.Title],
            "finding_info.types" => [OcsfType(t)],
            "finding_info.uid" or "metadata.uid" => [Id(i)],
            "metadata.product.name" => [ProductName(t.Product)],
            "metadata.product.uid" => [ProductArn(t.Product)],
            "metadata.product.vendor_name" => ["AWS"],
            "remediation.desc" => ["For information on how to correct this issue, consult the AWS Security Hub controls documentation."],
            "resources.cloud_partition" => ["aws"],
            "resources.owner.account.uid" => [AccountId],
            "resources.region" => [ResourceRegion(t)],
            "resources.type" => [CloudFormationType(t.ResourceType)],
            "resources.uid" => [ResourceId(i)],
            "severity" => [OcsfSeverity(SeverityLabel(i))],
            "status" => [OcsfStatus(WorkflowStatus(i)).Name],
            "vulnerabilities.cve.uid" when t.Product == ProductKind.Inspector => [t.ControlId],
            _ => [],
        };
    }

    /// <summary>The value of an OCSF number field on finding i; null when absent.</summary>
    public double? OcsfNumber(string field, int i) => field switch
    {
        "activity_id" => ActivityId(i),
        "compliance.status_id" when ComplianceStatus(i) is { } c => OcsfComplianceStatusId(c),
        "severity_id" => OcsfSeverityId(SeverityLabel(i)),
        "status_id" => OcsfStatus(WorkflowStatus(i)).Id,
        _ => null,
    };

    /// <summary>The values of an OCSF boolean field on finding i; empty when absent.</summary>
    public IReadOnlyList<bool> OcsfBooleans(string field, int i) => field switch
    {
        "vulnerabilities.is_fix_available" when Template(i).Product == ProductKind.Inspector => [FixAvailable(i)],
        "vulnerabilities.is_exploit_available" when Template(i).Product == ProductKind.Inspector => [ExploitAvailable(i)],
        _ => [],
    };

    /// <summary>The entries of an OCSF map field on finding i (resource tags); empty when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OcsfMap(string field, int i) => field switch
    {
        "resources.tags" => Tags(i),
        _ => [],
    };

    /// <summary>An OCSF date field of finding i in Unix milliseconds; null when absent.</summary>
    public long? OcsfDate(string field, int i) => field switch
    {
        "finding_info.modified_time_dt" or "finding_info.last_seen_time_dt" => UpdatedAt(i),
        "finding_info.created_time_dt" or "finding_info.first_seen_time_dt" => CreatedAt(i),
        _ => null,
    };

    /// <summary>Writes finding i as an OCSF document (times as epoch milliseconds and as <c>_dt</c> strings, as GetFindingsV2 returns them).</summary>
    public void WriteOcsf(Utf8JsonWriter w, int i)
    {
        var t = Template(i);
        var classUid = ClassUid(i);
        var activity = ActivityId(i);
        var created = CreatedAt(i);
        var modified = UpdatedAt(i);
        var severity = SeverityLabel(i);
        var compliance = ComplianceStatus(i);
        var (statusId, status) = OcsfStatus(WorkflowStatus(i));
        var id = Id(i);

        w.WriteStartObject();
        w.WriteNumber("activity_id", activity);
        w.WriteString("activity_name", activity == 1 ? "Create" : "Update");
        w.WriteNumber("category_uid", 2);
        w.WriteString("category_name", "Findings");
        w.WriteNumber("class_uid", classUid);
        w.WriteString("class_name", ClassName(classUid));
        w.WriteNumber("type_uid", (classUid * 100) + activity);
        w.WriteNumber("severity_id", OcsfSeverityId(severity));
        w.WriteString("severity", OcsfSeverity(severity));
        w.WriteNumber("status_id", statusId);
        w.WriteString("status", status);
        w.WriteNumber("time", modified);
        w.WriteString("time_dt", Timestamp(modified));
        w.WriteStartObject("finding_info");
        w.WriteString("uid", id);
        w.WriteString("title", t.Title);
        w.WriteString("desc", Description(i));
        w.WriteStartArray("types");
        w.WriteStringValue(OcsfType(t));
        w.WriteEndArray();
        w.WriteNumber("created_time", created);
        w.WriteString("created_time_dt", Timestamp(created));
        w.WriteNumber("first_seen_time", created);
        w.WriteString("first_seen_time_dt", Timestamp(created));
        w.WriteNumber("last_seen_time", modified);
        w.WriteString("last_seen_time_dt", Timestamp(modified));
        w.WriteNumber("modified_time", modified);
        w.WriteString("modified_time_dt", Timestamp(modified));
        w.WriteEndObject();
        w.WriteStartObject("metadata");
        w.WriteString("uid", id);
        w.WriteString("version", "1.6.0");
        w.WriteStartArray("profiles");
        w.WriteStringValue("cloud");
        w.WriteStringValue("datetime");
        w.WriteEndArray();
        w.WriteStartObject("product");
        w.WriteString("name", ProductName(t.Product));
        w.WriteString("uid", ProductArn(t.Product));
        w.WriteString("vendor_name", "AWS");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("cloud");
        w.WriteStartObject("account");
        w.WriteString("uid", AccountId);
        w.WriteString("type", "AWS Account");
        w.WriteNumber("type_id", 10);
        w.WriteEndObject();
        w.WriteString("provider", "AWS");
        w.WriteString("region", Region);
        w.WriteEndObject();
        w.WriteStartArray("resources");
        w.WriteStartObject();
        w.WriteString("type", CloudFormationType(t.ResourceType));
        w.WriteString("uid", ResourceId(i));
        w.WriteString("cloud_partition", "aws");
        w.WriteString("region", ResourceRegion(t));
        w.WriteStartObject("owner");
        w.WriteStartObject("account");
        w.WriteString("uid", AccountId);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("tags");
        foreach (var (key, value) in Tags(i))
        {
            w.WriteStartObject();
            w.WriteString("name", key);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (IsLarge(i))
        {
            w.WriteStartObject("data");
            w.WriteString("policy_document", _padding.Value);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (compliance is not null)
        {
            w.WriteStartObject("compliance");
            w.WriteString("control", t.ControlId);
            w.WriteString("status", OcsfComplianceStatus(compliance));
            w.WriteNumber("status_id", OcsfComplianceStatusId(compliance));
            w.WriteStartArray("standards");
            w.WriteStringValue("standards/aws-foundational-security-best-practices/v/1.0.0");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (t.Product == ProductKind.Inspector)
        {
            w.WriteStartArray("vulnerabilities");
            w.WriteStartObject();
            w.WriteStartObject("cve");
            w.WriteString("uid", t.ControlId);
            w.WriteEndObject();
            w.WriteBoolean("is_fix_available", FixAvailable(i));
            w.WriteBoolean("is_exploit_available", ExploitAvailable(i));
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteStartObject("remediation");
        w.WriteString("desc", "For information on how to correct this issue, consult the AWS Security Hub controls documentation.");
        w.WriteStartArray("references");
        w.WriteStringValue(t.RemediationUrl);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("unmapped");
        w.WriteString("annotation", i % 3 == 0 ? Annotation : "Checked by the emulator");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private int ActivityId(int i) => UpdatedAt(i) == CreatedAt(i) ? 1 : 2;

    private bool FixAvailable(int i) => Hash(i, 10) % 3 != 0;

    private bool ExploitAvailable(int i) => Hash(i, 11) % 4 == 0;

    private string Description(int i) =>
        Template(i).Description + " Finding " + (i + 1).ToString(CultureInfo.InvariantCulture) + " of the emulated account " + AccountId + " in " + Region + "; review the resource and its owner before changing it.";

    private KeyValuePair<string, string>[] Tags(int i)
    {
        var h = Hash(i, 3);
        return
        [
            new("team", "team-" + ((h >> 12) % 9).ToString(CultureInfo.InvariantCulture)),
            new("environment", ((h >> 16) % 3) switch { 0 => "prod", 1 => "staging", _ => "dev" }),
        ];
    }

    // IAM and the account itself are global: GetFindingsV2 gives their resources the Region "global".
    private string ResourceRegion(ControlTemplate t) => t.ResourceType is "AwsIamPolicy" or "AwsIamRole" or "AwsAccount" ? "global" : Region;

    private static string ClassName(int classUid) => classUid switch
    {
        2002 => "Vulnerability Finding",
        2003 => "Compliance Finding",
        _ => "Detection Finding",
    };

    private static string OcsfType(ControlTemplate t) => t.Product switch
    {
        ProductKind.SecurityHub => "Software and Configuration Checks/Industry and Regulatory Standards",
        ProductKind.GuardDuty => "TTPs/Discovery/" + t.ControlId,
        _ => "Software and Configuration Checks/Vulnerabilities/CVE",
    };

    private static string CloudFormationType(string asffType) => asffType switch
    {
        "AwsEc2Instance" => "AWS::EC2::Instance",
        "AwsEc2SecurityGroup" => "AWS::EC2::SecurityGroup",
        "AwsS3Bucket" => "AWS::S3::Bucket",
        "AwsIamPolicy" => "AWS::IAM::Policy",
        "AwsIamRole" => "AWS::IAM::Role",
        "AwsKmsKey" => "AWS::KMS::Key",
        "AwsLambdaFunction" => "AWS::Lambda::Function",
        "AwsRdsDbInstance" => "AWS::RDS::DBInstance",
        _ => "AWS::::Account",
    };

    private static string OcsfSeverity(string label) => label switch
    {
        "INFORMATIONAL" => "Informational",
        "LOW" => "Low",
        "MEDIUM" => "Medium",
        "HIGH" => "High",
        _ => "Critical",
    };

    private static int OcsfSeverityId(string label) => label switch
    {
        "INFORMATIONAL" => 1,
        "LOW" => 2,
        "MEDIUM" => 3,
        "HIGH" => 4,
        _ => 5,
    };

    private static (int Id, string Name) OcsfStatus(string workflow) => workflow switch
    {
        "NEW" => (1, "New"),
        "NOTIFIED" => (2, "In Progress"),
        "SUPPRESSED" => (3, "Suppressed"),
        _ => (4, "Resolved"),
    };

    private static string OcsfComplianceStatus(string asff) => asff switch
    {
        "PASSED" => "Pass",
        "FAILED" => "Fail",
        "WARNING" => "Warning",
        _ => "Unknown",
    };

    private static int OcsfComplianceStatusId(string asff) => asff switch
    {
        "PASSED" => 1,
        "WARNING" => 2,
        "FAILED" => 3,
        _ => 0,
    };
}
