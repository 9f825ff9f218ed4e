using System.Diagnostics;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Core.Errors;

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

    [TestMethod]
    public async Task Help_ListsTheOneExitCodeTable()
    {
        var result = await CliProcess.RunAsync("--help");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var (code, meaning) in ExitCodes.Table)
        {
            StringAssert.Contains(result.Stdout, $"{code,-4} {meaning}");
        }

        StringAssert.Contains(result.Stdout, "SECHUB_FANOUT_DEBUG=1");
    }

    [TestMethod]
    public void ExitCodeOf_InvalidInputFromAService_IsUsageForEveryCommand()
    {
        Assert.AreEqual(ExitCodes.Usage, CommandHost.ExitCodeOf(new ServiceCallException(ServiceErrorKind.InvalidInput, "bad filter")));
        Assert.AreEqual(ExitCodes.Credentials, CommandHost.ExitCodeOf(new ServiceCallException(ServiceErrorKind.AccessDenied, "denied")));
        Assert.AreEqual(ExitCodes.Failed, CommandHost.ExitCodeOf(new ServiceCallException(ServiceErrorKind.Throttled, "slow")));
        Assert.AreEqual(ExitCodes.Usage, CommandHost.ExitCodeOf(new UsageException("no")));
    }

    [TestMethod]
    [DataRow("status", "not-an-id")]
    [DataRow("query", "SELEC 1", "--in", "/nonexistent-sechub-export")]
    public async Task BadInput_AnyCommand_OneLineWithoutStackTraceUnlessDebug(params string[] args)
    {
        var plain = await CliProcess.RunAsync(args);
        var debug = new ProcessStartInfo("dotnet") { Environment = { ["SECHUB_FANOUT_DEBUG"] = "1" } };
        var traced = await CliProcess.RunAsync(debug, args);

        Assert.AreEqual(ExitCodes.Usage, plain.ExitCode, plain.Stderr);
        Assert.AreEqual(ExitCodes.Usage, traced.ExitCode, traced.Stderr);
        Assert.AreEqual(1, plain.Stderr.Trim().Split('\n').Length, plain.Stderr);
        StringAssert.StartsWith(plain.Stderr, "error: ");
        StringAssert.Contains(traced.Stderr, plain.Stderr.Trim());
        StringAssert.Contains(traced.Stderr, "   at SecHubFanout.Cli.");
    }
}
