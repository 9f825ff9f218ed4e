namespace SecHubFanout.Cdk.Tests;

/// <summary>The member exporter is told which account owns the findings bucket, so its writes go to the central account's bucket only.</summary>
[TestClass]
public sealed class MemberExporterBucketOwnerTests
{
    [TestMethod]
    public void ExporterEnvironment_FindingsBucketOwner_IsTheCentralAccountParameter()
    {
        var exporter = SynthesizedStacks.Member.Single("AWS::Lambda::Function")["Properties"]!;

        Assert.AreEqual("{\"Ref\":\"CentralAccountId\"}", exporter["Environment"]!["Variables"]!["FINDINGS_BUCKET_OWNER"]!.ToJsonString());
        Assert.AreEqual("^\\d{12}$", (string?)SynthesizedStacks.Member.Root["Parameters"]!["CentralAccountId"]!["AllowedPattern"], "a value the exporter accepts");
    }
}
