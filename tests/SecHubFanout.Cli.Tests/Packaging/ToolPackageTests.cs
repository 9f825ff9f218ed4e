using System.Diagnostics;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Packaging;

/// <summary>The .NET tool as a user gets it: <c>dotnet pack</c>, <c>dotnet tool install --tool-path</c>, then the installed <c>sechub-fanout</c>.</summary>
[TestClass]
public sealed class ToolPackageTests
{
    private static TempDirectory _work = null!;
    private static string _installed = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        _work = new TempDirectory();
        var packages = Path.Combine(_work.Path, "packages");
        var toolPath = Path.Combine(_work.Path, "tools");

        // The CLI is already built (the tests reference it): pack that build, in the tests' own configuration.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        await RunAsync("dotnet", "pack", Path.Combine(RepoPaths.Root, "tools", "SecHubFanout.Cli"), "--no-build", "-c", configuration, "-o", packages);

        // A private package cache, so a package from an earlier run with the same version is never what gets installed.
        await RunAsync(
            "dotnet", "tool", "install", "sechub-fanout", "--tool-path", toolPath, "--add-source", packages, "--version", CliVersion, "--ignore-failed-sources");
        _installed = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "sechub-fanout.exe" : "sechub-fanout");
    }

    [ClassCleanup]
    public static void ClassCleanup() => _work.Dispose();

    [TestMethod]
    public async Task InstalledTool_Version_PrintsThePackageVersion()
    {
        var (exitCode, stdout, stderr) = await RunAsync(_installed, "--version");

        Assert.AreEqual(0, exitCode, stderr);
        StringAssert.StartsWith(stdout.Trim(), CliVersion);
    }

    [TestMethod]
    public async Task InstalledTool_DemoHelp_DescribesTheDemo()
    {
        var (exitCode, stdout, stderr) = await RunAsync(_installed, "demo", "--help");

        Assert.AreEqual(0, exitCode, stderr);
        StringAssert.Contains(stdout, "sechub-fanout demo [options]");
        StringAssert.Contains(stdout, "--findings-per-region");
    }

    private static string CliVersion =>
        typeof(CliApp).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : throw new InvalidOperationException("the CLI has no version");

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (args[0] == "tool")
        {
            info.Environment["NUGET_PACKAGES"] = Path.Combine(_work.Path, "nuget-cache");
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var result = (process.ExitCode, await stdout, await stderr);
        if (file == "dotnet" && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {result.ExitCode}: {result.Item2}{result.Item3}");
        }

        return result;
    }
}
