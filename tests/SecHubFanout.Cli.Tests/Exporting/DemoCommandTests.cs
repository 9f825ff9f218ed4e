using SecHubFanout.Cli.Tests.Analytics;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary><c>sechub-fanout demo</c> run as a process with a small organization.</summary>
[TestClass]
public sealed class DemoCommandTests
{
    [TestMethod]
    public async Task Demo_SmallOrganization_ExportsEveryFindingOnceAndPrintsSummary()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "demo");

        var result = await CliProcess.RunAsync(CliEnvironment.Empty(), "demo", "--out", output, "--accounts", "2", "--regions", "2", "--findings-per-region", "300");

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stdout, "Demo summary");
        StringAssert.Contains(result.Stdout, "findings exported    1,200");
        StringAssert.Contains(result.Stdout, "2 x 2 = 4 parallel streams");
        StringAssert.Contains(result.Stdout, "quota limit of 1,200 findings/s");
        StringAssert.Contains(result.Stdout, "equal the emulator's in all 4 account-Regions");
        StringAssert.Contains(result.Stdout, "start-up ");
        StringAssert.Contains(result.Stdout, "before the export: runtime ");
        StringAssert.Contains(result.Stdout, "where the time went: wall ");
        StringAssert.Contains(result.Stdout, "calls at the quota ");
        var accounts = Directory.GetDirectories(Path.Combine(output, "findings")).Select(Path.GetFileName).ToList();
        Assert.HasCount(2, accounts);
        foreach (var account in accounts)
        {
            foreach (var region in new[] { "us-east-1", "eu-west-1" })
            {
                var ids = await ExportedIds.ReadAsync(output, account!["account_id=".Length..], region);
                Assert.HasCount(300, ids, $"{account} {region}");
                Assert.IsTrue(ids.Values.All(n => n == 1), "no duplicates");
                Assert.IsTrue(ids.Keys.All(id => id.Contains(account["account_id=".Length..], StringComparison.Ordinal)), "each account exported its own findings");
            }
        }
    }

    [TestMethod]
    public async Task Demo_AccountsOutOfRange_ExitsTwoAndWritesNothing()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "demo");

        var result = await CliProcess.RunAsync(CliEnvironment.Empty(), "demo", "--out", output, "--accounts", "0");

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "--accounts 0 is out of range");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public async Task DemoHelp_Always_ExplainsEveryOption()
    {
        var result = await CliProcess.RunAsync("demo", "--help");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var option in new[] { "--out", "--accounts", "--regions", "--findings-per-region" })
        {
            StringAssert.Contains(result.Stdout, option);
        }

        StringAssert.Contains(result.Stdout, "no AWS needed");
        StringAssert.Contains(result.Stdout, "3 requests/s, burst 6");
    }
}
