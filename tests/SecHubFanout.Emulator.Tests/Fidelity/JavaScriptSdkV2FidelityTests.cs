using System.Globalization;
using System.Text.Json;
using SecHubFanout.Emulator.Tests.Support;
using static SecHubFanout.Emulator.Tests.Support.SdkScripts;

namespace SecHubFanout.Emulator.Tests.Fidelity;

/// <summary>The emulator's GetFindingsV2 as AWS's own SDK for JavaScript sees it: paginator, composite filters, sort, modeled errors.</summary>
[TestClass]
public sealed class JavaScriptSdkV2FidelityTests
{
    private const string Account = "111111111111";
    private static SecurityHubEmulator _emulator = null!;
    private static List<JsonElement> _all = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account, "222222222222"],
            Regions = ["us-east-1", "eu-west-1"],
            FindingsPerRegion = 400,
            GetFindingsRate = 1000,
            GetFindingsBurst = 1000,
        });
        _all = FindingsOf(await RunAsync("paginate-v2.mjs", new { }));
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _emulator.DisposeAsync();

    [TestMethod]
    public async Task GetFindingsV2_PaginatedToTheEnd_ReturnsEveryOcsfFindingExactlyOnce()
    {
        var result = await RunAsync("paginate-v2.mjs", new { maxResults = 37, region = "eu-west-1" });

        var ids = FindingsOf(result).Select(f => f.Str("uid")).ToList();
        Assert.AreEqual(ids.Count, ids.Distinct().Count(), "a finding came twice");
        CollectionAssert.AreEquivalent(_emulator.OcsfFindingIds(Account, "eu-west-1").ToList(), ids);
        Assert.AreEqual(11, result.GetProperty("pages").GetInt32());
    }

    [TestMethod]
    public void GetFindingsV2_Findings_AreOcsfOfTheThreeClassesWithTimesOnWholeHoursAndDays()
    {
        CollectionAssert.AreEquivalent(new[] { 2002, 2003, 2004 }, _all.Select(f => f.GetProperty("class_uid").GetInt32()).Distinct().ToList());
        Assert.IsTrue(_all.All(f => f.Str("account") == Account && f.Str("region") == "us-east-1"));
        Assert.IsTrue(_all.All(f => Modified(f).ToUnixTimeMilliseconds() == f.GetProperty("modified_ms").GetInt64()), "modified_time and modified_time_dt disagree");
        Assert.IsTrue(_all.Any(f => Modified(f).TimeOfDay == TimeSpan.Zero), "no finding modified on a whole day");
        Assert.IsTrue(_all.Any(f => Modified(f).TimeOfDay != TimeSpan.Zero && Modified(f).Minute == 0 && Modified(f).Second == 0 && Modified(f).Millisecond == 0), "no finding on a whole hour");
        Assert.IsTrue(_all.SelectMany(f => f.GetProperty("resource_types").EnumerateArray()).All(t => t.GetString()!.StartsWith("AWS::", StringComparison.Ordinal)), "resource types are not CloudFormation style");
        Assert.IsTrue(_all.Any(f => f.GetProperty("resource_regions")[0].GetString() == "global"));
    }

    [TestMethod]
    public async Task GetFindingsV2_NestedCompositeFiltersWithEveryKind_ReturnExactlyTheMatchingSubset()
    {
        // (severity High OR Critical, by a nested OR) AND title CONTAINS_WORD "EC2" AND status_id <= 2 AND tag environment = prod
        //   OR (a vulnerability with a fix available)
        var filters = new
        {
            CompositeOperator = "OR",
            CompositeFilters = new object[]
            {
                new
                {
                    Operator = "AND",
                    StringFilters = new[] { new { FieldName = "finding_info.title", Filter = new { Value = "EC2", Comparison = "CONTAINS_WORD" } } },
                    NumberFilters = new[] { new { FieldName = "status_id", Filter = new { Lte = 2 } } },
                    MapFilters = new[] { new { FieldName = "resources.tags", Filter = new { Key = "environment", Value = "prod", Comparison = "EQUALS" } } },
                    NestedCompositeFilters = new[]
                    {
                        new
                        {
                            Operator = "OR",
                            StringFilters = new[]
                            {
                                new { FieldName = "severity", Filter = new { Value = "High", Comparison = "EQUALS" } },
                                new { FieldName = "severity", Filter = new { Value = "Critical", Comparison = "EQUALS" } },
                            },
                        },
                    },
                },
                new
                {
                    Operator = "AND",
                    BooleanFilters = new[] { new { FieldName = "vulnerabilities.is_fix_available", Filter = new { Value = true } } },
                },
            },
        };

        var result = FindingsOf(await RunAsync("paginate-v2.mjs", new { filters, maxResults = 25 }));

        var expected = _all.Where(f =>
            (f.Str("severity") is "High" or "Critical"
                && ContainsWord(f.Str("title"), "EC2")
                && StatusId(f.Str("status")) <= 2
                && f.GetProperty("tags").TryGetProperty("environment", out var env) && env.GetString() == "prod")
            || f.GetProperty("fix_available").ValueKind == JsonValueKind.True).Select(f => f.Str("uid")).ToList();
        Assert.IsGreaterThan(5, expected.Count, "the filter should select a real subset");
        Assert.IsLessThan(_all.Count, expected.Count);
        CollectionAssert.AreEquivalent(expected, result.Select(f => f.Str("uid")).ToList());
    }

    [TestMethod]
    public async Task GetFindingsV2_NegativeComparisonsAndPrefix_MatchAwsSemantics()
    {
        var filters = new
        {
            CompositeFilters = new[]
            {
                new
                {
                    StringFilters = new[]
                    {
                        new { FieldName = "compliance.status", Filter = new { Value = "Pass", Comparison = "NOT_EQUALS" } },
                        new { FieldName = "resources.type", Filter = new { Value = "AWS::EC2::", Comparison = "PREFIX_NOT_EQUALS" } },
                        new { FieldName = "finding_info.title", Filter = new { Value = "should", Comparison = "NOT_CONTAINS" } },
                    },
                },
            },
        };

        var result = FindingsOf(await RunAsync("paginate-v2.mjs", new { filters }));

        var expected = _all.Where(f => f.Str("compliance_status") != "Pass"
            && !f.GetProperty("resource_types").EnumerateArray().Any(t => t.GetString()!.StartsWith("AWS::EC2::", StringComparison.Ordinal))
            && !f.Str("title")!.Contains("should", StringComparison.Ordinal)).Select(f => f.Str("uid")).ToList();
        Assert.IsNotEmpty(expected);
        CollectionAssert.AreEquivalent(expected, result.Select(f => f.Str("uid")).ToList());
    }

    [TestMethod]
    public async Task GetFindingsV2_DateFilterOnWholeHoursSortedDescending_IncludesBothBoundsInOrder()
    {
        var onHour = _all.Select(Modified).Where(t => t.Minute == 0 && t.Second == 0 && t.Millisecond == 0).Order().ToList();
        var start = onHour[onHour.Count / 4];
        var end = onHour[onHour.Count / 2];
        var filters = new
        {
            CompositeFilters = new[]
            {
                new { DateFilters = new[] { new { FieldName = "finding_info.modified_time_dt", Filter = new { Start = Format(start), End = Format(end) } } } },
            },
        };

        var result = FindingsOf(await RunAsync("paginate-v2.mjs", new { filters, sortCriteria = new[] { new { Field = "finding_info.modified_time_dt", SortOrder = "desc" } }, maxResults = 20 }));

        var expected = _all.Where(f => Modified(f) >= start && Modified(f) <= end).Select(f => f.Str("uid")).ToList();
        CollectionAssert.AreEquivalent(expected, result.Select(f => f.Str("uid")).ToList());
        Assert.IsTrue(result.Any(f => Modified(f) == start) && result.Any(f => Modified(f) == end), "a finding on a bound was left out");
        var times = result.Select(Modified).ToList();
        CollectionAssert.AreEqual(times.OrderByDescending(t => t).ToList(), times, "not sorted by modified_time_dt descending");
    }

    [TestMethod]
    [DataRow("maxResults0", """{"MaxResults":0}""")]
    [DataRow("maxResults101", """{"MaxResults":101}""")]
    [DataRow("dateOnTimeDt", """{"Filters":{"CompositeFilters":[{"DateFilters":[{"FieldName":"time_dt","Filter":{"DateRange":{"Value":1,"Unit":"DAYS"}}}]}]}}""")]
    [DataRow("startOnly", """{"Filters":{"CompositeFilters":[{"DateFilters":[{"FieldName":"finding_info.modified_time_dt","Filter":{"Start":"2026-01-01T00:00:00.000Z"}}]}]}}""")]
    [DataRow("badComparison", """{"Filters":{"CompositeFilters":[{"StringFilters":[{"FieldName":"severity","Filter":{"Value":"High","Comparison":"LIKE"}}]}]}}""")]
    [DataRow("badOperator", """{"Filters":{"CompositeFilters":[{"Operator":"XOR"}]}}""")]
    [DataRow("elevenComposites", """{"Filters":{"CompositeFilters":[{},{},{},{},{},{},{},{},{},{},{}]}}""")]
    [DataRow("numberWithoutBound", """{"Filters":{"CompositeFilters":[{"NumberFilters":[{"FieldName":"severity_id","Filter":{}}]}]}}""")]
    public async Task GetFindingsV2_RequestTheApiRejects_ThrowsValidationException(string name, string input)
    {
        var result = await RunAsync("errors-v2.mjs", new { scenario = "request", input = JsonDocument.Parse(input).RootElement });

        AssertError(result, "ValidationException", 400, name);
    }

    [TestMethod]
    public async Task GetFindingsV2_TokenReusedWithOtherFilters_ThrowsValidationException()
    {
        var result = await RunAsync("errors-v2.mjs", new { scenario = "changedQuery" });

        AssertError(result, "ValidationException", 400, "changedQuery");
        StringAssert.Contains(result.GetProperty("error").GetProperty("message").GetString(), "Input Query has changed");
    }

    private static bool ContainsWord(string? value, string word) =>
        value is not null && value.Split([' ', '(', ')', '-', '/', '.', ',', '"', ':'], StringSplitOptions.RemoveEmptyEntries).Contains(word);

    private static int StatusId(string? status) => status switch
    {
        "New" => 1,
        "In Progress" => 2,
        "Suppressed" => 3,
        _ => 4,
    };

    private static Task<JsonElement> RunAsync(string script, object extra) => SdkScripts.RunAsync(_emulator, Account, script, extra);

    private static DateTimeOffset Modified(JsonElement f) => DateTimeOffset.Parse(f.Str("modified")!, CultureInfo.InvariantCulture);
}
