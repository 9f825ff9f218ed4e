using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Cli.Analytics;
using SecHubFanout.Core.Analytics;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary>Every named view, rendered for DuckDB, over Parquet in the export layout, against numbers worked out by hand.</summary>
[TestClass]
public sealed class AnalyticsViewsDuckDbTests
{
    private static TempDirectory _export = null!;
    private static FindingsDatabase _database = null!;

    [ClassInitialize]
    public static void ClassInitialize(TestContext context)
    {
        _export = new TempDirectory();
        ParquetFixture.Write(_export.Path, SmallExport.Findings);
        _database = FindingsDatabase.Open(_export.Path);
    }

    [ClassCleanup]
    public static void ClassCleanup()
    {
        _database.Dispose();
        _export.Dispose();
    }

    [TestMethod]
    public void Findings_ExportedParquet_HasTheAthenaTableColumnsInOrder()
    {
        var result = _database.Query("SELECT * FROM findings LIMIT 0");

        CollectionAssert.AreEqual(AnalyticsViews.TableColumns.Select(c => c.Name).ToList(), result.Columns.Select(c => c.Name).ToList());
        Assert.AreEqual("Integer", result.Columns.Single(c => c.Name == "severity_normalized").TypeName);
        Assert.AreEqual("TimestampTz", result.Columns.Single(c => c.Name == "updated_at").TypeName);
        Assert.AreEqual("List", result.Columns.Single(c => c.Name == "resource_ids").TypeName);
    }

    [TestMethod]
    public void Findings_PartitionKeys_ComeFromThePathAsStrings()
    {
        var rows = _database.Query("SELECT DISTINCT account_id, region, export_date, export_id FROM findings ORDER BY ALL").Rows;

        // 012... keeps its leading zero and export_date stays text: DuckDB would otherwise guess BIGINT/DATE.
        var actual = rows.Select(r => string.Join('|', r)).ToList();
        CollectionAssert.AreEqual(
            new[] { "012345678901|us-east-1|2026-03-01|e1", "012345678901|us-east-1|2026-03-02|e2", "222222222222|eu-west-1|2026-03-01|e1" },
            actual);
    }

    [TestMethod]
    public void Findings_FileAndPathDisagreeOnExportId_PathWinsAsInAthena()
    {
        using var export = new TempDirectory();
        ParquetFixture.Write(export.Path, [SmallExport.Findings[0] with { ExportId = "from-file" }]);
        var file = Directory.EnumerateFiles(Path.Combine(export.Path, "findings"), "*.parquet", SearchOption.AllDirectories).Single();
        var renamed = file.Replace("export_id=from-file", "export_id=from-path", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(renamed)!);
        File.Move(file, renamed);

        using var database = FindingsDatabase.Open(export.Path);
        var value = database.Query("SELECT export_id FROM findings").Rows.Single()[0];

        Assert.AreEqual("from-path", value);
    }

    [TestMethod]
    public void FindingsLatest_VersionsAcrossExports_PicksGreatestUpdatedAt()
    {
        var rows = _database.Query("SELECT id, compliance_status, export_id, updated_at FROM findings_latest ORDER BY id").Rows;

        Assert.AreEqual(8, rows.Count, "one row per ProductArn + Id");
        var fa = rows.Single(r => (string)r[0]! == "f-a");
        Assert.AreEqual("PASSED", fa[1]);
        Assert.AreEqual("e2", fa[2]);
        Assert.AreEqual(new DateTime(2026, 3, 1, 11, 20, 0), (DateTime)fa[3]!);
    }

    [TestMethod]
    public void FindingsLatest_FullIncrementalAndStreamPartitions_OneRowPerFindingWhateverTheExportId()
    {
        static DateTimeOffset At(int day, int hour) => new(2026, 3, day, hour, 0, 0, TimeSpan.Zero);
        const string a = "012345678901", r = "us-east-1";
        using var export = new TempDirectory();
        ParquetFixture.Write(export.Path,
        [
            // The full export: x (first version), y, and z, which Security Hub later deletes.
            new("f-x", a, r, "x v1", "HIGH", "FAILED", "S3.1", "NEW", "ACTIVE", ["b1"], At(1, 9), "cli-20260301-120000", At(1, 12)),
            new("f-y", a, r, "y", "LOW", "PASSED", "S3.1", "NEW", "ACTIVE", ["b2"], At(1, 10), "cli-20260301-120000", At(1, 12)),
            new("f-z", a, r, "z", "LOW", "FAILED", "S3.1", "NEW", "ACTIVE", ["b3"], At(1, 11), "cli-20260301-120000", At(1, 12)),
            // The next day's incremental: x's second version, and y again (the overlap).
            new("f-x", a, r, "x v2", "HIGH", "FAILED", "S3.1", "NOTIFIED", "ACTIVE", ["b1"], At(2, 9), "incr-20260302-120000000", At(2, 12)),
            new("f-y", a, r, "y", "LOW", "PASSED", "S3.1", "NEW", "ACTIVE", ["b2"], At(1, 10), "incr-20260302-120000000", At(2, 12)),
            // The stream: x's third version, delivered twice (a replayed batch).
            new("f-x", a, r, "x v3", "HIGH", "PASSED", "S3.1", "RESOLVED", "ACTIVE", ["b1"], At(2, 15), "stream-2026030215", At(2, 15)),
            new("f-x", a, r, "x v3", "HIGH", "PASSED", "S3.1", "RESOLVED", "ACTIVE", ["b1"], At(2, 15), "stream-2026030215", At(2, 15)),
        ]);
        using var database = FindingsDatabase.Open(export.Path);

        var rows = database.Query("SELECT id, title, export_id FROM findings_latest ORDER BY id").Rows.Select(r => string.Join('|', r)).ToList();

        CollectionAssert.AreEqual(
            new[] { "f-x|x v3|stream-2026030215", "f-y|y|incr-20260302-120000000", "f-z|z|cli-20260301-120000" },
            rows,
            "the latest version wins wherever it came from; the overlap and the replay collapse; z keeps its last version");
    }

    [TestMethod]
    public void FindingsHourly_SmallExport_CountsEachVersionOnceByHour()
    {
        var rows = _database.Query("""
            SELECT strftime(hour, '%H'), compliance_status, workflow_status, severity_label, findings, distinct_titles
            FROM findings_hourly ORDER BY ALL
            """).Rows.Select(r => string.Join('|', r.Select(ValueText.Format))).ToList();

        CollectionAssert.AreEqual(
            new[]
            {
                "09|FAILED|NEW|CRITICAL|1|1",
                "09|FAILED|NEW|HIGH|2|1", // f-a's first version (exported twice) and f-b, one title
                "09|FAILED|NEW|MEDIUM|1|1",
                "10|FAILED|NEW|HIGH|1|1",
                "10|FAILED|NOTIFIED|CRITICAL|1|1",
                "10|FAILED|SUPPRESSED|MEDIUM|1|1",
                "10||NEW|LOW|1|1",
                "11|PASSED|NEW|HIGH|1|1",
            },
            rows);
    }

    [TestMethod]
    public void TopFailingControls_LatestState_RanksByDistinctFailingResources()
    {
        var rows = _database.Query("SELECT rank, security_control_id, failed_resources, failed_findings, accounts FROM top_failing_controls ORDER BY rank").Rows
            .Select(r => string.Join('|', r.Select(ValueText.Format))).ToList();

        // S3.1: f-b (b2, b3) and f-g (b9); f-a passes now. IAM.6: f-h and f-c. S3.9 is archived, EC2.19 suppressed.
        CollectionAssert.AreEqual(new[] { "1|S3.1|3|2|2", "2|IAM.6|2|2|2" }, rows);
    }

    [TestMethod]
    public void FindingsByAccountRegion_LatestState_CountsPerAccountAndRegion()
    {
        var rows = _database.Query("""
            SELECT account_id, region, findings, active, failed, critical, high, medium, low, informational, resource_references
            FROM findings_by_account_region ORDER BY account_id
            """).Rows.Select(r => string.Join('|', r.Select(ValueText.Format))).ToList();

        CollectionAssert.AreEqual(
            new[] { "012345678901|us-east-1|4|3|3|1|2|1|0|0|5", "222222222222|eu-west-1|4|4|3|1|1|1|1|0|4" },
            rows);
    }

    [TestMethod]
    public void Open_NoParquet_ThrowsWithHowToProduceData()
    {
        using var empty = new TempDirectory();

        var error = Assert.ThrowsExactly<UsageException>(() => FindingsDatabase.Open(empty.Path));

        StringAssert.Contains(error.Message, "sechub-fanout demo");
        StringAssert.Contains(error.Message, "sechub-fanout export");
    }
}
