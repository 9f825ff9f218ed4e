using System.Globalization;
using System.Text.Json;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>
/// <c>sechub-fanout export --api v2</c> run as a process against the emulator's GetFindingsV2: every OCSF finding once, composite
/// filters, the OCSF Parquet columns read back with DuckDB, and <c>query</c>/<c>report</c> over the findings_ocsf table.
/// </summary>
[TestClass]
public sealed class ExportV2Tests
{
    private const string Account = "111111111111";
    private static readonly string[] _regions = ["us-east-1", "eu-west-1"];
    private static SecurityHubEmulator _emulator = null!;
    private static TempDirectory _temp = null!;
    private static string _both = null!;
    private static CliProcess.Result _v2 = null!;

    [ClassInitialize]
    public static async Task ClassInitializeAsync(TestContext context)
    {
        _ = context;
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account],
            Regions = _regions,
            FindingsPerRegion = 400,
            GetFindingsRate = 1000,
            GetFindingsBurst = 1000,
        });
        _temp = new TempDirectory();

        // One folder with an OCSF export (--api v2) and an ASFF export (v1) of the same organization.
        _both = Path.Combine(_temp.Path, "both");
        _v2 = await ExportAsync(_both, "--api", "v2", "--part-size", "100");
        var v1 = await ExportAsync(_both);
        Assert.AreEqual(0, v1.ExitCode, v1.Stdout + v1.Stderr);
    }

    [ClassCleanup]
    public static async Task ClassCleanupAsync()
    {
        await _emulator.DisposeAsync();
        _temp.Dispose();
    }

    [TestMethod]
    public async Task ExportApiV2_EveryRegion_WritesEveryOcsfFindingExactlyOnceBelowTheOcsfFolder()
    {
        Assert.AreEqual(0, _v2.ExitCode, _v2.Stdout + _v2.Stderr);
        foreach (var region in _regions)
        {
            ExportedIds.AssertExactly(_emulator.OcsfFindingIds(Account, region), await ExportedIds.ReadOcsfAsync(_both, Account, region), region);
            StringAssert.Contains(_v2.Stdout, Path.Combine("findings", $"account_id={Account}", "ocsf", $"region={region}"));
        }

        Assert.IsGreaterThan(_regions.Length * 4, Directory.GetFiles(Path.Combine(_both, "findings", $"account_id={Account}", "ocsf"), "part-*.parquet", SearchOption.AllDirectories).Length, "several windows and parts per Region");
    }

    [TestMethod]
    public async Task ExportApiV2_NestedCompositeFilter_ExportsExactlyTheEmulatorsSubset()
    {
        // (severity Critical AND (control EC2.2 OR control PREFIX IAM.)) OR any Lambda function resource.
        const string filters = """
            {"CompositeOperator":"OR","CompositeFilters":[
              {"Operator":"AND","StringFilters":[{"FieldName":"severity","Filter":{"Value":"Critical","Comparison":"EQUALS"}}],
               "NestedCompositeFilters":[{"Operator":"OR","StringFilters":[
                 {"FieldName":"compliance.control","Filter":{"Value":"EC2.2","Comparison":"EQUALS"}},
                 {"FieldName":"compliance.control","Filter":{"Value":"IAM.","Comparison":"PREFIX"}}]}]},
              {"StringFilters":[{"FieldName":"resources.type","Filter":{"Value":"AWS::Lambda::Function","Comparison":"EQUALS"}}]}]}
            """;
        var output = Path.Combine(_temp.Path, "filtered");

        var result = await ExportAsync(output, "--api", "v2", "--filters", filters);

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        var all = await FindingsAsync(_both, "SELECT finding FROM findings_ocsf");
        foreach (var region in _regions)
        {
            var expected = all.Where(f => f.GetProperty("cloud").GetProperty("region").GetString() == region && Matches(f))
                .Select(f => f.GetProperty("finding_info").GetProperty("uid").GetString()!).ToHashSet();
            Assert.IsGreaterThan(10, expected.Count, "the filter should select a real subset");
            Assert.IsLessThan(_emulator.OcsfFindingIds(Account, region).Count, expected.Count);
            ExportedIds.AssertExactly(expected, await ExportedIds.ReadOcsfAsync(output, Account, region), region);
        }

        static bool Matches(JsonElement f)
        {
            var control = f.TryGetProperty("compliance", out var c) ? c.GetProperty("control").GetString() : null;
            var critical = f.GetProperty("severity").GetString() == "Critical" && (control == "EC2.2" || (control?.StartsWith("IAM.", StringComparison.Ordinal) ?? false));
            return critical || f.GetProperty("resources").EnumerateArray().Any(r => r.GetProperty("type").GetString() == "AWS::Lambda::Function");
        }
    }

    [TestMethod]
    public async Task ExportApiV2_ParquetColumnsReadBackWithDuckDb_EqualTheValuesInTheFindings()
    {
        var rows = await RowsAsync(_both, "SELECT * EXCLUDE (finding), finding FROM findings_ocsf");

        Assert.AreEqual(_regions.Sum(r => _emulator.OcsfFindingIds(Account, r).Count), rows.Count);
        foreach (var row in rows)
        {
            using var document = JsonDocument.Parse(row.GetProperty("finding").GetString()!);
            var f = document.RootElement;
            var info = f.GetProperty("finding_info");
            Assert.AreEqual(info.GetProperty("uid").GetString(), row.GetProperty("finding_uid").GetString());
            Assert.AreEqual(f.GetProperty("metadata").GetProperty("uid").GetString(), row.GetProperty("metadata_uid").GetString());
            Assert.AreEqual(f.GetProperty("class_uid").GetInt32(), row.GetProperty("class_uid").GetInt32());
            Assert.AreEqual(f.GetProperty("class_name").GetString(), row.GetProperty("class_name").GetString());
            Assert.AreEqual(info.GetProperty("title").GetString(), row.GetProperty("title").GetString());
            CollectionAssert.AreEqual(Strings(info.GetProperty("types")), Strings(row.GetProperty("types")));
            Assert.AreEqual(f.GetProperty("metadata").GetProperty("product").GetProperty("name").GetString(), row.GetProperty("product_name").GetString());
            Assert.AreEqual(f.GetProperty("metadata").GetProperty("product").GetProperty("uid").GetString(), row.GetProperty("product_uid").GetString());
            Assert.AreEqual(f.GetProperty("metadata").GetProperty("version").GetString(), row.GetProperty("metadata_version").GetString());
            Assert.AreEqual(f.GetProperty("cloud").GetProperty("account").GetProperty("uid").GetString(), row.GetProperty("cloud_account_uid").GetString());
            Assert.AreEqual(f.GetProperty("cloud").GetProperty("region").GetString(), row.GetProperty("cloud_region").GetString());
            Assert.AreEqual(f.GetProperty("severity").GetString(), row.GetProperty("severity").GetString());
            Assert.AreEqual(f.GetProperty("severity_id").GetInt32(), row.GetProperty("severity_id").GetInt32());
            Assert.AreEqual(f.GetProperty("status").GetString(), row.GetProperty("status").GetString());
            Assert.AreEqual(f.GetProperty("status_id").GetInt32(), row.GetProperty("status_id").GetInt32());
            var compliance = f.TryGetProperty("compliance", out var c) ? c : default;
            Assert.AreEqual(compliance.ValueKind == JsonValueKind.Object ? compliance.GetProperty("status").GetString() : null, Nullable(row, "compliance_status"));
            Assert.AreEqual(compliance.ValueKind == JsonValueKind.Object ? compliance.GetProperty("control").GetString() : null, Nullable(row, "compliance_control"));
            var resources = f.GetProperty("resources").EnumerateArray().ToList();
            CollectionAssert.AreEqual(resources.Select(r => r.GetProperty("type").GetString()).ToList(), Strings(row.GetProperty("resource_types")));
            CollectionAssert.AreEqual(resources.Select(r => r.GetProperty("uid").GetString()).ToList(), Strings(row.GetProperty("resource_uids")));
            CollectionAssert.AreEqual(resources.Select(r => r.GetProperty("region").GetString()).ToList(), Strings(row.GetProperty("resource_regions")));
            Assert.AreEqual(Millis(info, "created_time"), Instant(row, "created_time"));
            Assert.AreEqual(Millis(info, "modified_time"), Instant(row, "modified_time"));
            Assert.AreEqual(Millis(info, "first_seen_time"), Instant(row, "first_seen_time"));
            Assert.AreEqual(Millis(info, "last_seen_time"), Instant(row, "last_seen_time"));
            Assert.AreEqual(Account, row.GetProperty("account_id").GetString());
            Assert.AreEqual(row.GetProperty("cloud_region").GetString(), row.GetProperty("region").GetString());
            Assert.AreEqual(Account, row.GetProperty("source_account_id").GetString());
        }
    }

    [TestMethod]
    public async Task Query_ExportHoldingBothApis_ReadsBothTablesAndSaysWhich()
    {
        var result = await CliProcess.RunAsync(
            "query", "--in", _both, "--format", "csv",
            "SELECT (SELECT count(*) FROM findings) AS asff, (SELECT count(*) FROM findings_ocsf) AS ocsf, (SELECT count(*) FROM findings_ocsf_latest) AS latest, (SELECT sum(findings) FROM findings_ocsf_by_account_region) AS by_region, (SELECT count(*) FROM findings_ocsf_failing_controls) AS controls, (SELECT sum(findings) FROM findings_ocsf_hourly) AS hourly");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stderr, "Reading findings (");
        StringAssert.Contains(result.Stderr, "findings_ocsf (");
        var served = _regions.Sum(r => _emulator.OcsfFindingIds(Account, r).Count);
        var values = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',').Select(long.Parse).ToList();
        Assert.AreEqual(served, values[0], "the ASFF table holds the v1 export only");
        Assert.AreEqual(served, values[1], "the OCSF table holds the v2 export only");
        Assert.AreEqual(served, values[2]);
        Assert.AreEqual(served, values[3]);
        Assert.IsGreaterThan(0, values[4]);
        Assert.AreEqual(served, values[5]);
    }

    [TestMethod]
    public async Task Report_TableFindingsOcsf_ReportsTheOcsfTableAndSaysSo()
    {
        var file = Path.Combine(_temp.Path, "ocsf-report.html");

        var result = await CliProcess.RunAsync("report", "--in", _both, "--table", "findings_ocsf", "--out", file);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "(table findings_ocsf)");
        var html = await File.ReadAllTextAsync(file);
        StringAssert.Contains(html, "Table findings_ocsf (OCSF findings of GetFindingsV2)");
        StringAssert.Contains(html, "view findings_ocsf_failing_controls");
        StringAssert.Contains(html, "<td>EC2.2</td>");
    }

    [TestMethod]
    public async Task ExportApiV2_WithGetFindingsFilters_ExitsTwoNamingTheProblemAndWritesNothing()
    {
        var output = Path.Combine(_temp.Path, "refused");

        var result = await ExportAsync(output, "--api", "v2", "--filters", """{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}]}""");

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "\"SeverityLabel\" is not part of GetFindingsV2 filters");
        Assert.IsFalse(Directory.Exists(output), "nothing written");
    }

    [TestMethod]
    public async Task ExportApiV2_FilterOnTheWindowField_ExitsTwoPointingToSince()
    {
        var result = await ExportAsync(Path.Combine(_temp.Path, "window"), "--api", "v2", "--filters",
            """{"CompositeFilters":[{"DateFilters":[{"FieldName":"finding_info.modified_time_dt","Filter":{"DateRange":{"Value":3,"Unit":"DAYS"}}}]}]}""");

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "--since");
    }

    [TestMethod]
    public async Task Export_UnknownApi_ExitsTwoNamingTheChoices()
    {
        var result = await ExportAsync(Path.Combine(_temp.Path, "unknown"), "--api", "v3");

        Assert.AreEqual(2, result.ExitCode, result.Stdout + result.Stderr);
        StringAssert.Contains(result.Stderr, "Use v1 (GetFindings");
    }

    private static Task<CliProcess.Result> ExportAsync(string output, params string[] extra) =>
        CliProcess.RunAsync(CliEnvironment.ForAccount(Account), ["export", "--regions", string.Join(',', _regions), "--out", output, "--endpoint-url", _emulator.Endpoint.ToString(), .. extra]);

    private static async Task<List<JsonElement>> RowsAsync(string folder, string sql)
    {
        var result = await CliProcess.RunAsync("query", "--in", folder, "--format", "json", sql);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<List<JsonElement>> FindingsAsync(string folder, string sql) =>
        [.. (await RowsAsync(folder, sql)).Select(r => JsonDocument.Parse(r.GetProperty("finding").GetString()!).RootElement.Clone())];

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static string? Nullable(JsonElement row, string column) => row.GetProperty(column).ValueKind == JsonValueKind.Null ? null : row.GetProperty(column).GetString();

    private static long Millis(JsonElement info, string name) =>
        DateTimeOffset.Parse(info.GetProperty(name + "_dt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static long Instant(JsonElement row, string column) =>
        DateTimeOffset.Parse(row.GetProperty(column).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}
