using System.Text;
using SecHubFanout.Core.Formats;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Core.Tests.Formats;

[TestClass]
public sealed class FindingFieldReaderTests
{
    [TestMethod]
    public void Read_RealisticFinding_ReadsEveryColumnField()
    {
        var json = SampleFindings.Control(0);

        var f = FindingFieldReader.Read(json);

        StringAssert.StartsWith(f.Id, "arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/");
        Assert.AreEqual("arn:aws:securityhub:eu-west-1::product/aws/securityhub", f.ProductArn);
        Assert.AreEqual("Security Hub", f.ProductName);
        Assert.AreEqual("AWS", f.CompanyName);
        Assert.AreEqual("security-control/S3.1", f.GeneratorId);
        Assert.AreEqual("111122223333", f.AwsAccountId);
        Assert.AreEqual("eu-west-1", f.Region);
        Assert.AreEqual("CRITICAL", f.SeverityLabel);
        Assert.AreEqual(90, f.SeverityNormalized);
        Assert.AreEqual("FAILED", f.ComplianceStatus);
        Assert.AreEqual("S3.1", f.SecurityControlId);
        Assert.AreEqual("NEW", f.WorkflowStatus);
        Assert.AreEqual("ACTIVE", f.RecordState);
        CollectionAssert.AreEqual(new[] { "Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices", "Effects/Data Exposure" }, f.Types!.ToArray());
        CollectionAssert.AreEqual(new[] { "AwsS3Bucket", "AwsAccount" }, f.ResourceTypes!.ToArray());
        CollectionAssert.AreEqual(new[] { "arn:aws:s3:::example-bucket-000000", "AWS::::Account:111122223333" }, f.ResourceIds!.ToArray());
        Assert.AreEqual(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero), f.CreatedAt);
        Assert.AreEqual(new DateTimeOffset(2026, 8, 1, 3, 0, 0, TimeSpan.Zero), f.UpdatedAt);
        Assert.AreEqual(f.CreatedAt, f.FirstObservedAt);
        Assert.AreEqual(f.UpdatedAt, f.LastObservedAt);
    }

    [TestMethod]
    public void Read_NestedNamesElsewhere_AreNotMistakenForColumns()
    {
        // FindingProviderFields.Severity.Label and Resources[].Details.*.CreatedAt must not leak into the top-level columns.
        var json = """{"FindingProviderFields":{"Severity":{"Label":"HIGH"}},"Resources":[{"Details":{"X":{"CreatedAt":"2020-01-01T00:00:00Z","Id":"nested"}},"Type":"T","Id":"r"}],"Id":"top"}"""u8;

        var f = FindingFieldReader.Read(json);

        Assert.IsNull(f.SeverityLabel);
        Assert.IsNull(f.CreatedAt);
        Assert.AreEqual("top", f.Id);
        CollectionAssert.AreEqual(new[] { "r" }, f.ResourceIds!.ToArray());
    }

    [TestMethod]
    public void Read_MissingAndNullFields_GiveNulls()
    {
        var f = FindingFieldReader.Read("""{"Id":"x","Severity":{"Label":null},"Compliance":null,"Types":null}"""u8);

        Assert.AreEqual("x", f.Id);
        Assert.IsNull(f.SeverityLabel);
        Assert.IsNull(f.SeverityNormalized);
        Assert.IsNull(f.ComplianceStatus);
        Assert.IsNull(f.Types);
        Assert.IsNull(f.ResourceTypes);
        Assert.IsNull(f.UpdatedAt);
        Assert.IsNull(f.Title);
    }

    [TestMethod]
    [DataRow("2026-11-20T10:15:30.123Z", "2026-11-20T10:15:30.1230000+00:00")]
    [DataRow("2026-11-20T10:15:30Z", "2026-11-20T10:15:30.0000000+00:00")]
    [DataRow("2026-11-20T12:15:30.5+02:00", "2026-11-20T10:15:30.5000000+00:00")]
    [DataRow("2026-11-20T05:15:30-05:00", "2026-11-20T10:15:30.0000000+00:00")]
    [DataRow("2026-11-20T10:15:30", "2026-11-20T10:15:30.0000000+00:00")]
    [DataRow("2026-11-20T10:15:30.123456789Z", "2026-11-20T10:15:30.1234567+00:00")]
    public void Read_Iso8601Variants_GiveUtc(string text, string expected)
    {
        var f = FindingFieldReader.Read(Encoding.UTF8.GetBytes($"{{\"UpdatedAt\":\"{text}\"}}"));

        Assert.AreEqual(expected, f.UpdatedAt!.Value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(TimeSpan.Zero, f.UpdatedAt.Value.Offset);
    }

    [TestMethod]
    public void Read_EscapedStrings_AreUnescaped()
    {
        var f = FindingFieldReader.Read("""{"Title":"a \"q\" \u00e9 \u2028 \\ end"}"""u8);

        Assert.AreEqual("a \"q\" é \u2028 \\ end", f.Title);
    }

    [TestMethod]
    public void Read_IntegralFloatNormalized_GivesInt()
    {
        Assert.AreEqual(40, FindingFieldReader.Read("""{"Severity":{"Normalized":40.0}}"""u8).SeverityNormalized);
    }

    [TestMethod]
    [DataRow("{\"Id\":\"x\"", "malformed JSON")]
    [DataRow("{\"Id\":\"x\"} {}", "invalid after a single JSON value")]
    [DataRow("[1,2]", "not a JSON object")]
    [DataRow("{\"Id\":42}", "Id should be a string")]
    [DataRow("{\"Severity\":\"HIGH\"}", "Severity should be an object")]
    [DataRow("{\"Severity\":{\"Normalized\":40.5}}", "Severity.Normalized should be a 32-bit integer")]
    [DataRow("{\"Types\":{}}", "Types should be an array")]
    [DataRow("{\"UpdatedAt\":\"yesterday\"}", "UpdatedAt should be an ISO 8601 timestamp")]
    public void Read_MalformedFinding_ThrowsNamingPosition(string json, string problem)
    {
        var ex = Assert.ThrowsExactly<InvalidFindingException>(() => FindingFieldReader.Read(Encoding.UTF8.GetBytes(json), new FindingFields(), 17));

        Assert.AreEqual(17, ex.Position);
        StringAssert.Contains(ex.Message, "position 17");
        StringAssert.Contains(ex.Message, problem);
    }

    [TestMethod]
    public void Read_InvalidUtf8_Throws()
    {
        byte[] json = [.. "{\"Title\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var ex = Assert.ThrowsExactly<InvalidFindingException>(() => FindingFieldReader.Read(json, new FindingFields(), 3));

        StringAssert.Contains(ex.Message, "UTF-8");
    }

    [TestMethod]
    public void Read_ReusedFields_ClearsPreviousValues()
    {
        var fields = new FindingFields();
        FindingFieldReader.Read(SampleFindings.Control(0), fields, 0);

        FindingFieldReader.Read("""{"Id":"second"}"""u8, fields, 1);

        Assert.AreEqual("second", fields.Id);
        Assert.IsNull(fields.Title);
        Assert.IsNull(fields.Types);
        Assert.IsNull(fields.CreatedAt);
    }
}
