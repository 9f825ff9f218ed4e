using System.Text.Json;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary><c>sechub-fanout query</c> run as a process over a fixture export.</summary>
[TestClass]
public sealed class QueryCommandTests
{
    private const string TopControls = "SELECT rank, security_control_id, failed_resources FROM top_failing_controls ORDER BY rank";
    private static TempDirectory _export = null!;

    [ClassInitialize]
    public static void ClassInitialize(TestContext context)
    {
        _export = new TempDirectory();
        ParquetFixture.Write(_export.Path, SmallExport.Findings);
    }

    [ClassCleanup]
    public static void ClassCleanup() => _export.Dispose();

    [TestMethod]
    public async Task Query_FormatTable_PrintsHeadersRowsAndCount()
    {
        var result = await CliProcess.RunAsync("query", TopControls, "--in", _export.Path);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.IsTrue(lines.Any(l => l.Contains("rank", StringComparison.Ordinal) && l.Contains("security_control_id", StringComparison.Ordinal) && l.Contains("failed_resources", StringComparison.Ordinal)), result.Stdout);
        Assert.IsTrue(lines.Any(l => l.Contains("S3.1", StringComparison.Ordinal) && l.Contains('3')), result.Stdout);
        Assert.IsTrue(lines.Any(l => l.Contains("IAM.6", StringComparison.Ordinal)), result.Stdout);
        Assert.IsLessThan(result.Stdout.IndexOf("IAM.6", StringComparison.Ordinal), result.Stdout.IndexOf("S3.1", StringComparison.Ordinal), "ranked order");
        StringAssert.Contains(result.Stdout, "(2 rows)");
    }

    [TestMethod]
    public async Task Query_FormatCsv_WritesHeaderAndQuotedFields()
    {
        var result = await CliProcess.RunAsync(
            "query", "SELECT id, title, resource_ids FROM findings_latest WHERE id IN ('f-b', 'f-e') ORDER BY id", "--in", _export.Path, "--format", "csv");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.AreEqual(
            "id,title,resource_ids\n" +
            "f-b,S3 bucket public,\"[\"\"b2\"\",\"\"b3\"\"]\"\n" +
            "f-e,GuardDuty <script>alert(1)</script>,\"[\"\"i-1\"\"]\"\n",
            result.Stdout);
    }

    [TestMethod]
    public async Task Query_FormatJson_WritesTypedValues()
    {
        var result = await CliProcess.RunAsync(
            "query", "SELECT id, severity_normalized, updated_at, resource_ids, workflow_status, compliance_status FROM findings_latest WHERE id = 'f-e'",
            "--in", _export.Path, "--format", "json");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var row = json.RootElement.EnumerateArray().Single();
        Assert.AreEqual("f-e", row.GetProperty("id").GetString());
        Assert.AreEqual(1, row.GetProperty("severity_normalized").GetInt32());
        Assert.AreEqual("2026-03-01T10:50:00.000Z", row.GetProperty("updated_at").GetString());
        Assert.AreEqual("i-1", row.GetProperty("resource_ids")[0].GetString());
        Assert.AreEqual(JsonValueKind.Null, row.GetProperty("compliance_status").ValueKind);
    }

    [TestMethod]
    public async Task Query_SqlError_ExitsUsageWithDuckDbMessageAndNoStackTrace()
    {
        var result = await CliProcess.RunAsync("query", "SELECT nope FROM findings", "--in", _export.Path);

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.StartsWith(result.Stderr, "error: ", StringComparison.Ordinal);
        StringAssert.Contains(result.Stderr, "nope");
        Assert.IsFalse(result.Stderr.Contains("   at ", StringComparison.Ordinal), result.Stderr);
        Assert.AreEqual("", result.Stdout);
    }

    [TestMethod]
    public async Task Query_NoDataUnderIn_ExitsUsageAndSaysHowToProduceIt()
    {
        using var empty = new TempDirectory();

        var result = await CliProcess.RunAsync("query", "SELECT 1", "--in", empty.Path);

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "No exported Parquet files under " + Path.Combine(empty.Path, "findings"));
        StringAssert.Contains(result.Stderr, "sechub-fanout demo");
    }

    [TestMethod]
    public async Task Query_UnknownFormat_ExitsUsageNamingTheChoices()
    {
        var result = await CliProcess.RunAsync("query", "SELECT 1", "--in", _export.Path, "--format", "xml");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "xml");
        StringAssert.Contains(result.Stderr, "csv");
    }

    [TestMethod]
    public async Task Query_DefaultIn_ReadsSechubExportInTheWorkingDirectory()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = _export.Path };
        var result = await CliProcess.RunAsync(info, "query", "SELECT count(*) AS n FROM findings", "--format", "csv");

        Assert.AreEqual(2, result.ExitCode, "the fixture folder has findings/ directly, not sechub-export/findings/");
        StringAssert.Contains(result.Stderr, Path.Combine(_export.Path, "sechub-export", "findings"));
    }
}
