namespace SecHubFanout.Coordinator.Tests.Functions;

[TestClass]
public sealed class CentralOptionsTests
{
    [TestMethod]
    public void FromEnvironment_AllSet_ReadsEveryVariable()
    {
        var env = new Dictionary<string, string>
        {
            ["LEDGER_TABLE"] = "ledger",
            ["TOPIC_ARN"] = "arn:aws:sns:eu-west-1:999999999999:t",
            ["FINDINGS_BUCKET"] = "findings-bucket",
            ["FINDINGS_KMS_KEY_ARN"] = "arn:aws:kms:eu-west-1:999999999999:key/k",
            ["STACK_SET_NAME"] = "sechub-fanout-member",
            ["CALL_AS"] = "DELEGATED_ADMIN",
            ["DEFAULT_REGIONS"] = "eu-west-1, us-east-1",
            ["MAX_CONCURRENCY"] = "25",
            ["GLUE_DATABASE"] = "db",
            ["GLUE_TABLE"] = "tbl",
            ["ATHENA_WORKGROUP"] = "wg",
            ["AWS_REGION"] = "eu-west-1",
        };

        var options = CentralOptions.FromEnvironment(n => env.GetValueOrDefault(n));

        Assert.AreEqual("ledger", options.LedgerTable);
        Assert.AreEqual("DELEGATED_ADMIN", options.CallAs);
        CollectionAssert.AreEqual(new[] { "eu-west-1", "us-east-1" }, options.DefaultRegions.ToArray());
        Assert.AreEqual(25, options.MaxConcurrency);
        Assert.AreEqual("sechub-fanout-member", options.StackSetName);
        Assert.AreEqual("wg", options.AthenaWorkgroup);
        Assert.AreEqual("eu-west-1", options.Region);
    }

    [TestMethod]
    public void FromEnvironment_MissingAndBad_OneMessageNamingEveryProblem()
    {
        var env = new Dictionary<string, string> { ["MAX_CONCURRENCY"] = "lots", ["CALL_AS"] = "ME", ["AWS_REGION"] = "eu-west-1" };

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => CentralOptions.FromEnvironment(n => env.GetValueOrDefault(n)));

        StringAssert.Contains(e.Message, "LEDGER_TABLE is not set");
        StringAssert.Contains(e.Message, "TOPIC_ARN is not set");
        StringAssert.Contains(e.Message, "FINDINGS_BUCKET is not set");
        StringAssert.Contains(e.Message, "MAX_CONCURRENCY is 'lots'");
        StringAssert.Contains(e.Message, "CALL_AS is 'ME'");
    }
}
