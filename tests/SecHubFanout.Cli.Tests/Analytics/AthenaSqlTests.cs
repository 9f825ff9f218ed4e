using System.Text.RegularExpressions;
using SecHubFanout.Core.Analytics;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary>The Athena renderings of the views: one well-formed Trino statement each, over the table the caller names.</summary>
[TestClass]
public sealed class AthenaSqlTests
{
    public static IEnumerable<object[]> Views => AnalyticsViews.All.Select(v => new object[] { v.Name });

    [TestMethod]
    public void All_Catalogue_HasTheFourViewsWithDescriptions()
    {
        CollectionAssert.AreEquivalent(
            new[] { "findings_latest", "findings_hourly", "top_failing_controls", "findings_by_account_region" },
            AnalyticsViews.All.Select(v => v.Name).ToList());
        Assert.IsTrue(AnalyticsViews.All.All(v => v.Description.Length > 20 && !v.Template.Contains("--", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DynamicData(nameof(Views))]
    public void AthenaSql_EachView_IsOneCreateViewStatementOverTheGivenTable(string name)
    {
        var sql = AnalyticsViews.Get(name).AthenaSql("sechub_db", "findings_tbl");

        StringAssert.StartsWith(sql, $"CREATE OR REPLACE VIEW \"sechub_db\".\"{name}\" AS\n", StringComparison.Ordinal);
        StringAssert.Matches(sql, new Regex(@"AS\n(SELECT|WITH)\b"));
        StringAssert.Contains(sql, "FROM \"sechub_db\".\"findings_tbl\"");
        Assert.IsFalse(sql.Contains(';', StringComparison.Ordinal), "a named query holds one statement");
        Assert.IsFalse(Regex.IsMatch(sql, @"\{\w+\}"), "every placeholder is filled");
        Assert.AreEqual(0, Depth(sql), "parentheses balance");
        Assert.AreEqual(0, sql.Count(c => c == '\'') % 2, "string literals close");
    }

    [TestMethod]
    [DynamicData(nameof(Views))]
    public void AthenaSql_EachView_UsesNoDuckDbOnlySyntax(string name)
    {
        var sql = AnalyticsViews.Get(name).AthenaSql("db", "findings");

        // Constructs Athena (Trino) rejects but DuckDB accepts: they must never leak into the Athena text.
        foreach (var duckDbOnly in new[] { @"\blen\s*\(", @"\bstrftime\s*\(", @"\blist_\w+\s*\(", @"::", @"\bEXCLUDE\b", @"\bQUALIFY\b", @"\bGROUP BY ALL\b", @"\bTIMESTAMPTZ\b" })
        {
            Assert.IsFalse(Regex.IsMatch(sql, duckDbOnly, RegexOptions.IgnoreCase), $"{name} uses '{duckDbOnly}'");
        }
    }

    [TestMethod]
    public void AthenaSql_ViewOnLatest_InlinesTheDedupSoItNeedsNoOtherView()
    {
        var sql = AnalyticsViews.Get("top_failing_controls").AthenaSql("db", "findings");

        StringAssert.Contains(sql, "PARTITION BY product_arn, id");
        Assert.IsFalse(sql.Contains("findings_latest", StringComparison.Ordinal));
    }

    [TestMethod]
    public void DuckDbSql_ArrayLength_TranslatesCardinalityToLen()
    {
        var athena = AnalyticsViews.Get("findings_by_account_region").AthenaSql("db", "findings");
        var duckDb = AnalyticsViews.Get("findings_by_account_region").DuckDbSql();

        StringAssert.Contains(athena, "cardinality(resource_ids)");
        StringAssert.Contains(duckDb, "len(resource_ids)");
        Assert.IsFalse(duckDb.Contains("cardinality", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Select_FromIso8601Timestamp_BecomesACastInDuckDb()
    {
        var view = new AnalyticsView("t", "test view", "SELECT from_iso8601_timestamp(concat(a, 'Z')) AS t FROM {table}");

        Assert.AreEqual("SELECT CAST(concat(a, 'Z') AS TIMESTAMPTZ) AS t FROM x", view.Select(SqlDialect.DuckDb, "x"));
        Assert.AreEqual("SELECT from_iso8601_timestamp(concat(a, 'Z')) AS t FROM x", view.Select(SqlDialect.Athena, "x"));
    }

    [TestMethod]
    public void Select_AthenaFunctionWithoutTranslation_ThrowsNamingIt()
    {
        var view = new AnalyticsView("t", "test view", "SELECT date_format(updated_at, '%H') FROM {table}");

        var error = Assert.ThrowsExactly<NotSupportedException>(() => view.Select(SqlDialect.DuckDb, "x"));

        StringAssert.Contains(error.Message, "date_format");
    }

    [TestMethod]
    [DataRow("Sechub")]
    [DataRow("db\"; DROP TABLE x; --")]
    [DataRow("db.name")]
    public void AthenaSql_NameThatIsNotAPlainGlueName_Throws(string database)
    {
        Assert.ThrowsExactly<ArgumentException>(() => AnalyticsViews.Get("findings_hourly").AthenaSql(database, "findings"));
    }

    private static int Depth(string sql) => sql.Count(c => c == '(') - sql.Count(c => c == ')');
}
