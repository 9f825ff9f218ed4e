using System.Text.RegularExpressions;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary><c>sechub-fanout report</c> run as a process, its HTML rendered by headless Chromium.</summary>
[TestClass]
public sealed class ReportCommandTests
{
    private static TempDirectory _work = null!;
    private static string _smallReport = null!;
    private static string _organizationReport = null!;
    private static string _fourMonthsReport = null!;
    private static List<FixtureFinding> _fourMonths = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        _work = new TempDirectory();
        var small = Path.Combine(_work.Path, "small");
        ParquetFixture.Write(small, SmallExport.Findings);
        _smallReport = Path.Combine(_work.Path, "small.html");
        var organization = Path.Combine(_work.Path, "organization");
        ParquetFixture.Write(organization, ParquetFixture.Organization());
        _organizationReport = Path.Combine(_work.Path, "out", "organization.html");
        // The organization's findings spread over four months (one every 7 hours), every third one resolved.
        var start = new DateTimeOffset(2026, 8, 3, 0, 0, 0, TimeSpan.Zero);
        _fourMonths = [.. ParquetFixture.Organization().DistinctBy(f => f.Id).Select((f, i) => f with { UpdatedAt = start.AddHours(i * 7), Workflow = i % 3 == 0 ? "RESOLVED" : f.Workflow })];
        var fourMonths = Path.Combine(_work.Path, "four-months");
        ParquetFixture.Write(fourMonths, _fourMonths);
        _fourMonthsReport = Path.Combine(_work.Path, "four-months.html");
        foreach (var (input, output) in new[] { (small, _smallReport), (organization, _organizationReport), (fourMonths, _fourMonthsReport) })
        {
            var result = await CliProcess.RunAsync("report", "--in", input, "--out", output);
            Assert.AreEqual(0, result.ExitCode, result.Stderr);
            StringAssert.Contains(result.Stdout, "Wrote " + output);
        }
    }

    [ClassCleanup]
    public static void ClassCleanup() => _work.Dispose();

    [TestMethod]
    public async Task Report_RenderedInChromium_DrawsEveryChart()
    {
        var dom = await HeadlessChromium.DumpDomAsync(_organizationReport);

        // Six severity lines at most, one path each; bars for four compliance states and the top 15 controls.
        var series = Regex.Matches(dom, "<path class=\"series\" data-series=\"(\\w+)\" d=\"M[^\"]+\"").Select(m => m.Groups[1].Value).ToList();
        CollectionAssert.AreEquivalent(new[] { "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL" }, series);
        Assert.IsGreaterThan(30, Regex.Matches(dom, " L\\d").Count, "line points over the hours");
        var bars = Regex.Matches(dom, "<rect class=\"bar\"[^>]* width=\"([\\d.]+)\"").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.AreEqual(2 + 9, bars.Count, "2 compliance states (FAILED, PASSED) + 9 failing controls");
        Assert.IsTrue(bars.All(w => w >= 2));
        Assert.IsTrue(bars.Distinct().Count() > 3, "bar lengths follow the values");
    }

    [TestMethod]
    public async Task Report_FourMonths_TrendIsWeeklyAndNewVersusResolvedAddsUp()
    {
        var dom = await HeadlessChromium.DumpDomAsync(_fourMonthsReport);

        StringAssert.Contains(dom, "<h2 id=\"trend\">Findings per week by severity</h2>");
        var paths = Regex.Matches(dom, "<path class=\"series\" data-series=\"\\w+\" d=\"(M[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.IsNotEmpty(paths);
        Assert.IsTrue(paths.All(d => Regex.Matches(d, " L").Count is >= 15 and <= 19), "one point per week over four months, not one per hour");
        var columns = Regex.Matches(dom, "<rect class=\"column\" data-series=\"(new|resolved)\" data-x=\"([\\d-]+)\" data-value=\"(\\d+)\"")
            .Select(m => (Series: m.Groups[1].Value, Week: DateTime.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), Value: long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.AreEqual(_fourMonths.Count, columns.Where(c => c.Series == "new").Sum(c => c.Value), "every finding is new once");
        Assert.AreEqual(_fourMonths.Count(f => f.Workflow == "RESOLVED"), columns.Where(c => c.Series == "resolved").Sum(c => c.Value));
        Assert.IsTrue(columns.All(c => c.Week.DayOfWeek == DayOfWeek.Monday), "weeks start on Monday");
        var firstResolved = _fourMonths.Where(f => f.Workflow == "RESOLVED").Min(f => f.UpdatedAt).UtcDateTime;
        Assert.AreEqual(0, columns.Where(c => c.Series == "resolved" && c.Week.AddDays(7) <= firstResolved).Sum(c => c.Value), "nothing resolved before the first resolution");
    }

    [TestMethod]
    public async Task Report_RenderedInChromium_ShowsTotalsTablesAndExports()
    {
        var dom = await HeadlessChromium.DumpDomAsync(_smallReport);

        var totals = Regex.Match(dom, "<div class=\"cards\" id=\"totals\">(.*?)</div></div>", RegexOptions.Singleline).Value;
        StringAssert.Contains(totals, "<b>8</b>findings (latest versions)");
        StringAssert.Contains(totals, "<b>10</b>rows exported");
        StringAssert.Contains(totals, "<b>2</b>accounts");
        var accounts = Regex.Match(dom, "<table id=\"accounts\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.AreEqual(2, Regex.Matches(accounts, "<tr><td>").Count);
        StringAssert.Contains(accounts, "<td>012345678901</td><td>us-east-1</td><td class=\"n\">4</td>");
        var exports = Regex.Match(dom, "<table id=\"exports\">.*?</table>", RegexOptions.Singleline).Value;
        StringAssert.Contains(exports, "<td>e1</td>");
        StringAssert.Contains(exports, "<td>e2</td>");
        var controls = Regex.Match(dom, "<table id=\"controls\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.IsLessThan(controls.IndexOf("IAM.6", StringComparison.Ordinal), controls.IndexOf("S3.1", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Report_FindingTextWithMarkup_IsEscapedNotExecuted()
    {
        var html = await File.ReadAllTextAsync(_smallReport);
        var dom = await HeadlessChromium.DumpDomAsync(_smallReport);

        Assert.IsFalse(html.Contains("<script", StringComparison.OrdinalIgnoreCase), "no script at all, and none injected by a finding title");
        Assert.IsFalse(dom.Contains("<script", StringComparison.OrdinalIgnoreCase));
    }

    [TestMethod]
    public async Task Report_Html_ReferencesNothingOutsideTheFile()
    {
        var html = await File.ReadAllTextAsync(_organizationReport);

        foreach (var external in new[] { "http://", "https://", "src=", "<link", "@import", "url(", "@font-face" })
        {
            Assert.IsFalse(html.Contains(external, StringComparison.OrdinalIgnoreCase), $"report contains {external}");
        }
    }

    [TestMethod]
    public async Task Report_Screenshot_IsAPngOfTheWholeReport()
    {
        var png = Path.Combine(_work.Path, "report.png");

        await HeadlessChromium.ScreenshotAsync(_organizationReport, png, 1100, 2300);

        var bytes = await File.ReadAllBytesAsync(png);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.IsGreaterThan(20_000, bytes.Length, "a blank page compresses to a few KB");
        var keep = Environment.GetEnvironmentVariable("SECHUB_REPORT_SCREENSHOT");
        if (!string.IsNullOrEmpty(keep))
        {
            File.Copy(png, keep, overwrite: true);
        }
    }

    [TestMethod]
    public async Task Report_NoData_ExitsUsageAndWritesNothing()
    {
        using var empty = new TempDirectory();
        var output = Path.Combine(empty.Path, "report.html");

        var result = await CliProcess.RunAsync("report", "--in", empty.Path, "--out", output);

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "sechub-fanout demo");
        Assert.IsFalse(File.Exists(output));
    }
}
