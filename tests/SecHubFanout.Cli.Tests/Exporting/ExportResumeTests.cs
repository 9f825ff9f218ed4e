using System.Diagnostics;
using System.Text.Json;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>An export killed mid-run and run again with the same --checkpoint: it resumes and completes without loss or duplicates.</summary>
[TestClass]
public sealed class ExportResumeTests
{
    private const string Account = "222222222222";
    private static readonly string[] _regions = ["us-east-1", "eu-west-1"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Export_KilledThenRerunWithSameCheckpoint_CompletesWithEveryIdOnceAndThenSaysComplete()
    {
        // The real quota (3 requests/s) keeps the export running long enough to be killed part-way.
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], Regions = _regions, FindingsPerRegion = 1500 });
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var checkpoint = Path.Combine(temp.Path, "checkpoint.json");
        string[] args = ["export", "--regions", string.Join(',', _regions), "--out", output, "--checkpoint", checkpoint, "--part-size", "100", "--endpoint-url", emulator.Endpoint.ToString()];

        var killedAt = await StartAndKillMidExportAsync(args, checkpoint);
        var resumed = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);
        var again = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);

        Assert.AreEqual(0, resumed.ExitCode, resumed.Stdout + resumed.Stderr);
        StringAssert.Contains(resumed.Stdout, "Resuming export " + killedAt.ExportId);
        foreach (var region in _regions)
        {
            ExportedIds.AssertExactly(emulator.FindingIds(Account, region), await ExportedIds.ReadAsync(output, Account, region), region);
            var exportFolders = Directory.GetDirectories(Path.Combine(output, "findings", $"account_id={Account}", $"region={region}"), "export_id=*", SearchOption.AllDirectories);
            Assert.AreEqual($"export_id={killedAt.ExportId}", Path.GetFileName(exportFolders.Single()), "the resume keeps the export ID, so it rewrites the same keys");
        }

        Assert.AreEqual(0, again.ExitCode, again.Stdout + again.Stderr);
        StringAssert.Contains(again.Stdout, "already complete");
        StringAssert.Contains(again.Stdout, "3,000 findings");
    }

    [TestMethod]
    public async Task ExportApiV2_KilledThenRerunWithSameCheckpoint_CompletesWithEveryOcsfIdOnce()
    {
        // GetFindingsV2 under the same assumed quota (3 requests/s), so the export is still running when it is killed.
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], Regions = _regions, FindingsPerRegion = 1500 });
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var checkpoint = Path.Combine(temp.Path, "checkpoint.json");
        string[] args = ["export", "--api", "v2", "--regions", string.Join(',', _regions), "--out", output, "--checkpoint", checkpoint, "--part-size", "100", "--endpoint-url", emulator.Endpoint.ToString()];

        var killedAt = await StartAndKillMidExportAsync(args, checkpoint);
        var otherApi = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), [.. args.Where(a => a is not ("--api" or "v2"))]);
        var resumed = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);

        Assert.AreEqual(2, otherApi.ExitCode, "the checkpoint of a v2 export does not resume as v1: " + otherApi.Stdout + otherApi.Stderr);
        StringAssert.Contains(otherApi.Stderr, "--api");
        Assert.AreEqual(0, resumed.ExitCode, resumed.Stdout + resumed.Stderr);
        StringAssert.Contains(resumed.Stdout, "Resuming export " + killedAt.ExportId);
        foreach (var region in _regions)
        {
            ExportedIds.AssertExactly(emulator.OcsfFindingIds(Account, region), await ExportedIds.ReadOcsfAsync(output, Account, region), region);
        }
    }

    [TestMethod]
    public async Task Export_RerunAfterSavedTokenExpired_RestartsWindowsAndCompletesWithEveryIdOnce()
    {
        var lifetime = TimeSpan.FromSeconds(2);
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], Regions = _regions, FindingsPerRegion = 1500, TokenLifetime = lifetime });
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var checkpoint = Path.Combine(temp.Path, "checkpoint.json");
        string[] args = ["export", "--regions", string.Join(',', _regions), "--out", output, "--checkpoint", checkpoint, "--part-size", "100", "--endpoint-url", emulator.Endpoint.ToString()];

        var killedAt = await StartAndKillMidExportAsync(args, checkpoint);
        Assert.IsTrue(killedAt.HasSavedToken, "the checkpoint holds a NextToken, which is what expires");
        await Task.Delay(lifetime + TimeSpan.FromSeconds(1), TestContext.CancellationToken);
        var resumed = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);

        Assert.AreEqual(0, resumed.ExitCode, resumed.Stdout + resumed.Stderr);
        foreach (var region in _regions)
        {
            ExportedIds.AssertExactly(emulator.FindingIds(Account, region), await ExportedIds.ReadAsync(output, Account, region), region);
        }
    }

    [TestMethod]
    public async Task Export_Interrupted_ExitsOneThirtyAndRerunCompletesWithEveryIdOnce()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions { Accounts = [Account], Regions = _regions, FindingsPerRegion = 1500 });
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var checkpoint = Path.Combine(temp.Path, "checkpoint.json");
        string[] args = ["export", "--regions", string.Join(',', _regions), "--out", output, "--checkpoint", checkpoint, "--part-size", "100", "--endpoint-url", emulator.Endpoint.ToString()];

        using var process = CliProcess.Start(CliEnvironment.ForAccount(Account), args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        var waited = Stopwatch.StartNew();
        while (Read(checkpoint) is not { Findings: >= 300 } && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(50, TestContext.CancellationToken);
        }

        Assert.IsFalse(process.HasExited, $"the export ended before it could be interrupted: {await stdout}{await stderr}");
        var seenAtKill = Read(checkpoint)?.Findings;
        var elapsedAtKill = waited.Elapsed;
        // Ctrl+C is SIGINT; where this test process was started with SIGINT ignored (a background job of a non-interactive shell),
        // the child inherits that and cannot see it, so the same interruption is sent as SIGTERM, which the CLI handles alike.
        var signal = SigIntIgnored() ? "-TERM" : "-INT";
        using (var interrupt = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync(TestContext.CancellationToken);
        }

        await process.WaitForExitAsync(TestContext.CancellationToken);
        var interruptedExit = process.ExitCode;
        var interruptedErr = await stderr;
        var resumed = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);

        Assert.AreEqual(130, interruptedExit, $"interrupted ({signal}) after {elapsedAtKill.TotalSeconds:F1} s with {seenAtKill} findings stored; stderr: {interruptedErr}; stdout: {await stdout}");
        StringAssert.Contains(interruptedErr, "run the same command again to resume");
        Assert.AreEqual(0, resumed.ExitCode, resumed.Stdout + resumed.Stderr);
        foreach (var region in _regions)
        {
            ExportedIds.AssertExactly(emulator.FindingIds(Account, region), await ExportedIds.ReadAsync(output, Account, region), region);
        }
    }

    private sealed record Killed(string ExportId, long Findings, bool HasSavedToken);

    /// <summary>Starts the export, waits until its checkpoint file shows stored parts, and kills the process (no chance to clean up).</summary>
    private async Task<Killed> StartAndKillMidExportAsync(string[] args, string checkpoint)
    {
        using var process = CliProcess.Start(CliEnvironment.ForAccount(Account), args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            Assert.IsFalse(process.HasExited, $"the export ended before it could be killed: {await stdout}{await stderr}");
            if (Read(checkpoint) is { Findings: >= 300 } progress)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(TestContext.CancellationToken);
                var final = Read(checkpoint)!;
                Assert.IsLessThan(3000, final.Findings, "killed part-way");
                return final;
            }

            await Task.Delay(50, TestContext.CancellationToken);
        }

        process.Kill(entireProcessTree: true);
        Assert.Fail("the checkpoint file never showed progress");
        return null!;
    }

    // True when this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status): its children then ignore it too.
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    private static Killed? Read(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var windows = root.GetProperty("checkpoints").EnumerateArray().SelectMany(c => c.GetProperty("windows").EnumerateArray()).ToList();
            return new Killed(
                root.GetProperty("exportId").GetString()!,
                windows.Sum(w => w.GetProperty("findings").GetInt64()),
                windows.Any(w => w.GetProperty("nextToken").ValueKind == JsonValueKind.String));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
