namespace SecHubFanout.Exporter.Tests.Functions;

[TestClass]
public sealed class ExporterFunctionColdStartTests
{
    [TestMethod]
    public void Constructor_WithoutTheStackVariables_FailsAtColdStartNamingThem()
    {
        Assert.IsNull(Environment.GetEnvironmentVariable("TIME_BUDGET_SECONDS"), "the test process must not set the exporter's variables");

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => new ExporterFunction());

        StringAssert.StartsWith(e.Message, "SecHubFanout exporter configuration is invalid: TIME_BUDGET_SECONDS is not set");
        Assert.Contains("redeploy it or fix them in the function's configuration", e.Message);
    }
}
