namespace SecHubFanout.Cli.Tests;

[TestClass]
public sealed class CliAppTests
{
    [TestMethod]
    public void Build_CommandNames_AreUniqueAndDocumented()
    {
        var root = CliApp.Build();

        var names = root.Subcommands.Select(c => c.Name).ToList();

        CollectionAssert.AllItemsAreUnique(names);
        CollectionAssert.IsSubsetOf(new[] { "demo", "export", "emulator", "query", "report", "start", "status" }, names);
        foreach (var command in root.Subcommands)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(command.Description), $"'{command.Name}' has no description for --help");
        }
    }
}
