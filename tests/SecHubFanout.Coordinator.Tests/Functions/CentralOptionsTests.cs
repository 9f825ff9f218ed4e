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
            ["FUNCTION_TIMEOUT_SECONDS"] = "900",
            ["RECONCILE_AFTER_MINUTES"] = "120",
            ["INCLUDE_THIS_ACCOUNT"] = "true",
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
        Assert.AreEqual(TimeSpan.FromMinutes(15), options.FunctionTimeout);
        Assert.AreEqual(TimeSpan.FromSeconds(810), options.HandlerBudget, "a tenth of the timeout kept to answer in");
        Assert.AreEqual(TimeSpan.FromHours(2), options.SilentAfter);
        Assert.IsTrue(options.IncludeThisAccount);
    }

    [TestMethod]
    public void FromEnvironment_OnlyRequired_DefaultsForTheRest()
    {
        var env = new Dictionary<string, string> { ["LEDGER_TABLE"] = "l", ["TOPIC_ARN"] = "t", ["FINDINGS_BUCKET"] = "b", ["AWS_REGION"] = "eu-west-1" };

        var options = CentralOptions.FromEnvironment(n => env.GetValueOrDefault(n));

        Assert.AreEqual(TimeSpan.FromSeconds(300), options.FunctionTimeout);
        Assert.AreEqual(TimeSpan.FromSeconds(270), options.HandlerBudget);
        Assert.AreEqual(TimeSpan.FromHours(25), options.SilentAfter);
        Assert.IsFalse(options.IncludeThisAccount);
        Assert.IsEmpty(options.DefaultRegions);
        Assert.AreEqual(TimeSpan.FromSeconds(5), CentralOptions.BudgetFor(TimeSpan.FromSeconds(10)), "at least 5 seconds kept to answer in");
    }

    [TestMethod]
    public void FromEnvironment_BadControlPlaneSettings_OneMessageNamingEach()
    {
        var env = new Dictionary<string, string>
        {
            ["LEDGER_TABLE"] = "l", ["TOPIC_ARN"] = "t", ["FINDINGS_BUCKET"] = "b", ["AWS_REGION"] = "eu-west-1",
            ["FUNCTION_TIMEOUT_SECONDS"] = "5", ["RECONCILE_AFTER_MINUTES"] = "30", ["INCLUDE_THIS_ACCOUNT"] = "yes", ["DEFAULT_REGIONS"] = "eu-west-1,Mars",
        };

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => CentralOptions.FromEnvironment(n => env.GetValueOrDefault(n)));

        StringAssert.Contains(e.Message, "FUNCTION_TIMEOUT_SECONDS is '5'");
        StringAssert.Contains(e.Message, "RECONCILE_AFTER_MINUTES is '30'");
        StringAssert.Contains(e.Message, "INCLUDE_THIS_ACCOUNT is 'yes'");
        StringAssert.Contains(e.Message, "DEFAULT_REGIONS names 'Mars'");
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
