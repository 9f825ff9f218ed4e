namespace SecHubFanout.Cli.Tests.Commands;

[TestClass]
public sealed class EmulatorCommandTests
{
    [TestMethod]
    [DataRow("emulator", "--fault-rate", "2")]
    [DataRow("emulator", "--accounts", "abc")]
    [DataRow("emulator", "--port", "not-a-number")]
    public async Task RunAsync_EmulatorWithInvalidOption_ExitsWithUsage(params string[] args)
    {
        var exit = await CliApp.RunAsync(args);

        Assert.AreEqual(ExitCodes.Usage, exit);
    }

    [TestMethod]
    public void Build_RegistersTheEmulatorCommandWithItsOptions()
    {
        var emulator = CliApp.Build().Subcommands.Single(c => c.Name == "emulator");

        var names = emulator.Options.Select(o => o.Name).ToList();

        CollectionAssert.IsSubsetOf(new[] { "--port", "--accounts", "--regions", "--disabled-regions", "--findings-per-region", "--latency-ms", "--fault-rate", "--drop-rate", "--token-lifetime-s", "--seed" }, names);
    }
}
