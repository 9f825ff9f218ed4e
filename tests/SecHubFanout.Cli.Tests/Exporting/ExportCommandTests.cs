using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary><c>sechub-fanout export</c> run as a process against the emulator: what it writes, and every input it refuses.</summary>
[TestClass]
public sealed class ExportCommandTests
{
    private const string Account = "111111111111";
    // Two Regions of one account, with a quota so high that nothing waits.
    private static readonly EmulatorOptions FastTwoRegions = new()
    {
        Accounts = [Account],
        Regions = ["us-east-1", "eu-west-1"],
        GetFindingsRate = 1000,
        GetFindingsBurst = 1000,
    };

    private static SecurityHubEmulator _emulator = null!;
    private static TempDirectory _temp = null!;

    [ClassInitialize]
    public static async Task ClassInitializeAsync(TestContext context)
    {
        _ = context;
        _emulator = await SecurityHubEmulator.StartAsync(FastTwoRegions with { DisabledRegions = ["ap-south-1"], FindingsPerRegion = 250 });
        _temp = new TempDirectory();
    }

    [ClassCleanup]
    public static async Task ClassCleanupAsync()
    {
        await _emulator.DisposeAsync();
        _temp.Dispose();
    }

    [TestMethod]
    public async Task Export_ToFolderWithoutRegions_WritesEveryServedIdAndSkipsNotEnabledRegion()
    {
        var output = NewPath();

        var result = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), "export", "--out", output, "--endpoint-url", _emulator.Endpoint.ToString());

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        foreach (var region in new[] { "us-east-1", "eu-west-1" })
        {
            ExportedIds.AssertExactly(_emulator.FindingIds(Account, region), await ExportedIds.ReadAsync(output, Account, region), region);
        }

        StringAssert.Contains(result.Stdout, "Skipped (Security Hub not enabled): ap-south-1");
        Assert.IsFalse(Directory.Exists(Path.Combine(output, "findings", $"account_id={Account}", "region=ap-south-1")), "nothing written for the not-enabled Region");
        StringAssert.Contains(result.Stdout, "account " + Account);
        StringAssert.Matches(result.Stdout, new Regex(@"start-up \d+\.\d\d s before the export: runtime \d+\.\d\d s, checking the arguments .*, credentials .*, account .*, Regions .*, output check "));
        StringAssert.Matches(result.Stdout, new Regex(@"where the time went: wall \d+\.\d s .*\n.*start-up before its first call .*\n.*calls at the quota .*\n.*quota unused "));
    }

    [TestMethod]
    public async Task Export_JsonlFormat_WritesEachFindingByteForByte()
    {
        var output = NewPath();

        var result = await CliProcess.RunAsync(
            CliEnvironment.ForAccount(Account), "export", "--regions", "eu-west-1", "--format", "jsonl", "--out", output, "--endpoint-url", _emulator.Endpoint.ToString());

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        var written = new List<string>();
        foreach (var file in Directory.EnumerateFiles(output, "part-*.jsonl.gz", SearchOption.AllDirectories))
        {
            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var copy = new MemoryStream();
            await gzip.CopyToAsync(copy, TestContext.CancellationToken);
            written.AddRange(Encoding.UTF8.GetString(copy.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        var served = await ServedRawFindingsAsync("eu-west-1");
        Assert.HasCount(served.Count, written);
        CollectionAssert.AreEquivalent(served, written, "every line is a finding exactly as Security Hub returned it");
        Assert.IsTrue(written.Any(line => line.Contains("Zugriff", StringComparison.Ordinal) && !line.Contains("\\u", StringComparison.Ordinal)), "non-ASCII text stays unescaped");
    }

    [TestMethod]
    [DataRow("--filters|{\"SeverityLabel\":", "--filters: The filters are not valid JSON")]
    [DataRow("--filters|[1]", "must be a JSON object")]
    [DataRow("--filters|{\"UpdatedAt\":[]}", "--since")]
    [DataRow("--filters|@{root}/missing.json", "--filters file '{root}/missing.json' not found")]
    [DataRow("--regions|us-east-1,xx-nowhere-9", "Unknown Region xx-nowhere-9: not among the Regions enabled for this account")]
    [DataRow("--regions|US_EAST", "'US_EAST' is not a Region name")]
    [DataRow("--format|csv", "Unknown format 'csv'")]
    [DataRow("--since|yesterday", "is not an ISO-8601 instant")]
    [DataRow("--export-id|no/slashes", "--export-id: export ID \"no/slashes\" is not usable")]
    [DataRow("--part-size|10", "--part-size 10 is too small")]
    [DataRow("--kms-key-id|alias/x", "--kms-key-id applies only to an s3:// output")]
    [DataRow("--out|s3://Bad_Bucket/x", "is not a valid S3 bucket name")]
    [DataRow("--checkpoint|{root}/no-such-folder/ck.json", "folder '{root}/no-such-folder' does not exist")]
    public async Task Export_BadInput_ExitsTwoWithMessageAndWritesNothing(string options, string message)
    {
        var root = NewPath();
        Directory.CreateDirectory(root);
        var output = Path.Combine(root, "out");
        var checkpoint = Path.Combine(root, "checkpoint.json");
        var args = new List<string> { "export", "--endpoint-url", _emulator.Endpoint.ToString(), "--checkpoint", checkpoint, "--out", output };
        foreach (var part in options.Replace("{root}", root, StringComparison.Ordinal).Split('|').Chunk(2))
        {
            var at = args.IndexOf(part[0]);
            if (at >= 0)
            {
                args[at + 1] = part[1];
            }
            else
            {
                args.AddRange(part);
            }
        }

        var result = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), [.. args]);

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "error: " , result.Stderr);
        StringAssert.Contains(result.Stderr, message.Replace("{root}", root, StringComparison.Ordinal));
        Assert.DoesNotContain(" at SecHubFanout", result.Stderr, "no stack trace");
        CollectionAssert.AreEquivalent(Array.Empty<string>(), Directory.EnumerateFileSystemEntries(root).ToArray(), "nothing written: no output folder, no checkpoint");
    }

    [TestMethod]
    public async Task Export_OutputUnderAFile_ExitsTwoBeforeWritingACheckpoint()
    {
        var root = NewPath();
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.CancellationToken);
        var checkpoint = Path.Combine(root, "checkpoint.json");

        var result = await CliProcess.RunAsync(
            CliEnvironment.ForAccount(Account), "export", "--out", Path.Combine(file, "out"), "--checkpoint", checkpoint, "--endpoint-url", _emulator.Endpoint.ToString());

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "cannot write to folder");
        Assert.IsFalse(File.Exists(checkpoint));
    }

    [TestMethod]
    public async Task Export_NoCredentials_ExitsThreeWithHowToFix()
    {
        var output = NewPath();

        var result = await CliProcess.RunAsync(CliEnvironment.Empty(), "export", "--out", output, "--endpoint-url", _emulator.Endpoint.ToString());

        Assert.AreEqual(3, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "No AWS credentials found");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public async Task Export_WrongSecretKey_ExitsThreeAsAccessDenied()
    {
        var output = NewPath();

        var result = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account, secret: "not-the-secret"), "export", "--out", output, "--endpoint-url", _emulator.Endpoint.ToString());

        Assert.AreEqual(3, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "credentials were rejected");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public async Task Export_RegionDeniedByPolicy_ExportsTheOthersAndExitsThreeNamingTheRegion()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(FastTwoRegions with { DeniedRegions = ["eu-west-1"], FindingsPerRegion = 50 });
        var output = NewPath();

        var result = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), "export", "--out", output, "--endpoint-url", emulator.Endpoint.ToString());

        Assert.AreEqual(3, result.ExitCode, result.Stdout + result.Stderr);
        ExportedIds.AssertExactly(emulator.FindingIds(Account, "us-east-1"), await ExportedIds.ReadAsync(output, Account, "us-east-1"), "us-east-1");
        StringAssert.Contains(result.Stderr, "Region eu-west-1 failed");
        StringAssert.Contains(result.Stderr, "may not call securityhub:GetFindings in eu-west-1");
    }

    [TestMethod]
    public async Task ExportHelp_Always_ExplainsEveryOptionAndExitCodes()
    {
        var result = await CliProcess.RunAsync("export", "--help");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var option in new[] { "--regions", "--out", "--format", "--filters", "--since", "--checkpoint", "--account-id", "--export-id", "--endpoint-url", "--profile", "--region", "--kms-key-id", "--part-size" })
        {
            StringAssert.Contains(result.Stdout, option);
        }

        StringAssert.Contains(result.Stdout, "s3://bucket/prefix");
        StringAssert.Contains(result.Stdout, "resume");
        StringAssert.Contains(result.Stdout, "3 no credentials or access denied");
    }

    public TestContext TestContext { get; set; } = null!;

    private static string NewPath() => Path.Combine(_temp.Path, Guid.NewGuid().ToString("N"));

    private static async Task<List<string>> ServedRawFindingsAsync(string region) =>
        [.. (await ServedFindings.ReadAsync(_emulator, Account, region)).Select(f => Encoding.UTF8.GetString(f))];
}
