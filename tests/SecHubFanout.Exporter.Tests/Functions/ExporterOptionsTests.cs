using SecHubFanout.Core.Deployment;

namespace SecHubFanout.Exporter.Tests.Functions;

[TestClass]
public sealed class ExporterOptionsTests
{
    [TestMethod]
    public void FromEnvironment_StackVariables_ReadsThem()
    {
        var environment = new Dictionary<string, string>
        {
            ["TIME_BUDGET_SECONDS"] = "840",
            ["COUNT_PARAMETER_PREFIX"] = FanoutNames.CountParameterPrefix,
            ["PART_SIZE"] = "5000",
            ["AWS_REGION"] = "eu-central-1",
        };

        var options = ExporterOptions.FromEnvironment(n => environment.GetValueOrDefault(n));

        Assert.AreEqual(TimeSpan.FromSeconds(840), options.TimeBudget);
        Assert.AreEqual(FanoutNames.CountParameterPrefix, options.CountParameterPrefix);
        Assert.AreEqual(5000, options.Export.PartSize);
        Assert.AreEqual("eu-central-1", options.Region);
    }

    [TestMethod]
    public void FromEnvironment_OnlyRequired_UsesDefaults()
    {
        var options = ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", _ => null });

        Assert.AreEqual(FanoutNames.CountParameterPrefix, options.CountParameterPrefix);
        Assert.AreEqual(new Core.Export.ExportOptions().PartSize, options.Export.PartSize);
    }

    [TestMethod]
    public void FromEnvironment_MissingAndBadValues_NamesEveryVariable()
    {
        var environment = new Dictionary<string, string> { ["COUNT_PARAMETER_PREFIX"] = "sechub", ["PART_SIZE"] = "10" };

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExporterOptions.FromEnvironment(n => environment.GetValueOrDefault(n)));

        Assert.Contains("TIME_BUDGET_SECONDS is not set", e.Message);
        Assert.Contains("COUNT_PARAMETER_PREFIX is 'sechub'", e.Message);
        Assert.Contains("PART_SIZE is '10'", e.Message);
        Assert.Contains("AWS_REGION is not set", e.Message);
    }

    [TestMethod]
    public void FromEnvironment_CheckpointTable_TurnsOnSplitsByTimingOnlyWhenSet()
    {
        var set = ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", "CHECKPOINT_TABLE" => "sechub-fanout-checkpoints", _ => null });
        var unset = ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", _ => null });

        Assert.AreEqual("sechub-fanout-checkpoints", set.CheckpointTable);
        Assert.IsTrue(set.Export.SplitWhenIdle);
        Assert.IsNull(unset.CheckpointTable);
        Assert.IsFalse(unset.Export.SplitWhenIdle, "without a durable checkpoint, splits follow the findings alone");
    }

    [TestMethod]
    public void FromEnvironment_BadCheckpointTable_NamesTheVariableAndTheRule()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", "CHECKPOINT_TABLE" => "no spaces!", _ => null }));

        Assert.Contains("CHECKPOINT_TABLE is 'no spaces!'", e.Message);
        Assert.Contains("DynamoDB table name", e.Message);
    }

    [TestMethod]
    public void FromEnvironment_FindingsBucketOwner_ReadWhenSetNullOtherwise()
    {
        var set = ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", "FINDINGS_BUCKET_OWNER" => "444455556666", _ => null });
        var unset = ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", _ => null });

        Assert.AreEqual("444455556666", set.FindingsBucketOwner);
        Assert.IsNull(unset.FindingsBucketOwner);
    }

    [TestMethod]
    public void FromEnvironment_FindingsBucketOwnerNotAnAccountId_SaysWhatToUse()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "60", "AWS_REGION" => "us-east-1", "FINDINGS_BUCKET_OWNER" => "central", _ => null }));

        Assert.Contains("FINDINGS_BUCKET_OWNER is 'central': use the 12-digit ID", e.Message);
    }

    [TestMethod]
    public void FromEnvironment_BudgetNotANumber_SaysWhatToUse()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ExporterOptions.FromEnvironment(n => n switch { "TIME_BUDGET_SECONDS" => "14m", "AWS_REGION" => "us-east-1", _ => null }));

        Assert.Contains("TIME_BUDGET_SECONDS is '14m': use a whole number of seconds from 1 to 900", e.Message);
    }
}
