using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Emulator;
using SecHubFanout.Emulator.Findings;
using SecHubFanout.Exporter.Tests.Fakes;
using SecHubFanout.Exporter.Tests.Support;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Exporter.Tests.Functions;

/// <summary>
/// What the exporter asks Security Hub for (only its own account and Region), what it tells the state machine about failures
/// (<c>failureKind</c>) and about the execution's age (<c>handOver</c>): the handler against the emulator and s3rver.
/// </summary>
[TestClass]
public sealed class ExporterFunctionScopeTests
{
    private const string Account = "111122223333";
    private const string OwnScope = "\"AwsAccountId\":[{\"Value\":\"111122223333\",\"Comparison\":\"EQUALS\"}],\"Region\":[{\"Value\":\"us-east-1\",\"Comparison\":\"EQUALS\"}]";

    private static SecurityHubEmulator _emulator = null!;
    private static S3rverServer _s3rver = null!;
    private static AwsClients _s3Clients = null!;
    private static AmazonS3Client _s3 = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartServersAsync(TestContext context)
    {
        // 1,500 findings at 5 pages a second (burst 1) take more than one two-second invocation.
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account],
            Regions = ["us-east-1", "eu-central-1"],
            DeniedRegions = ["eu-central-1"],
            FindingsPerRegion = 1500,
            GetFindingsRate = 5,
            GetFindingsBurst = 1,
            Seed = 23,
        });
        _s3rver = await S3rverServer.StartAsync(LocalAws.Bucket);
        _s3Clients = LocalAws.S3(_s3rver);
        _s3 = _s3Clients.CreateS3Client();
    }

    [ClassCleanup]
    public static async Task StopServersAsync()
    {
        _s3.Dispose();
        _s3Clients.Dispose();
        await _s3rver.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task HandleAsync_AggregationRegionHoldsLinkedRegionsFindings_ExportsOnlyOwnRegionsEveryPageSameQuery()
    {
        using var member = LocalAws.Member(_emulator, Account);
        // With cross-Region aggregation, GetFindings in the aggregation Region also returns the linked Regions' findings.
        await ImportAsync(member, Finding("linked-eu-west-1", "eu-west-1"), Finding("own-us-east-1", "us-east-1"));
        var source = new RecordingFindingSource(member.CreateFindingSource());
        var function = new ExporterFunction(Service(source));
        const string exportId = "20261202T170000Z-5c09e000";

        var (final, invocations) = await ExporterLoop.RunAsync(function, ExporterLoop.FirstInput(exportId, "us-east-1", DateTimeOffset.UtcNow));

        var written = await LocalAws.ExportedIdsAsync(_s3, $"findings/account_id={Account}/region=us-east-1/export_date={DateTime.UtcNow:yyyy-MM-dd}/export_id={exportId}/", TestContext.CancellationToken);
        var stored = _emulator.FindingIds(Account, "us-east-1");
        Assert.AreEqual(RegionExportStatus.Complete, final.Status, final.Error);
        Assert.IsGreaterThan(1, invocations, "the Region must resume from a checkpoint at least once");
        Assert.Contains("linked-eu-west-1", stored);
        Assert.DoesNotContain("linked-eu-west-1", written, "a linked Region's finding belongs to that Region's own export");
        Assert.Contains("own-us-east-1", written);
        Assert.HasCount(stored.Count - 1, written);
        Assert.IsTrue(written.ToHashSet(StringComparer.Ordinal).SetEquals(stored.Where(id => id != "linked-eu-west-1")));
        Assert.AreEqual(written.Count, final.Counts.Findings);
        var requests = source.Requests.ToList();
        Assert.IsTrue(requests.All(r => r.Query.Contains(OwnScope, StringComparison.Ordinal)), "every GetFindings asks for this account's findings of this Region: " + requests[0].Query);
        // Security Hub rejects a token whose query changed: every request of one window, across invocations, sends the same bytes.
        foreach (var window in requests.GroupBy(r => JsonNode.Parse(r.Query)!["Filters"]!["UpdatedAt"]!.ToJsonString()))
        {
            Assert.HasCount(1, window.Select(r => r.Query).Distinct(StringComparer.Ordinal).ToList(), window.Key);
        }

        Assert.IsTrue(requests.Any(r => r.NextToken is not null), "the query bytes were compared across pages");
    }

    [TestMethod]
    public async Task HandleAsync_ApiV2_ExportsEveryOcsfFindingOnceAcrossInvocationsAndTellsTheCoordinator()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var source = new RecordingFindingSource(member.CreateFindingSource());
        var function = new ExporterFunction(Service(source));
        const string exportId = "20261202T170000Z-5c09e0f2";
        var input = ExporterLoop.FirstInput(exportId, "us-east-1", DateTimeOffset.UtcNow) with { Api = "v2" };

        var (final, invocations) = await ExporterLoop.RunAsync(function, input);

        var written = await LocalAws.ExportedIdsAsync(_s3, $"findings/account_id={Account}/ocsf/region=us-east-1/export_date={DateTime.UtcNow:yyyy-MM-dd}/export_id={exportId}/", TestContext.CancellationToken);
        Assert.AreEqual(RegionExportStatus.Complete, final.Status, final.Error);
        Assert.IsGreaterThan(1, invocations, "the Region must resume from a checkpoint at least once");
        Assert.HasCount(written.Count, written.Distinct().ToList(), "no finding twice");
        Assert.IsTrue(written.ToHashSet(StringComparer.Ordinal).SetEquals(_emulator.OcsfFindingIds(Account, "us-east-1")));
        Assert.IsEmpty(await LocalAws.KeysAsync(_s3, $"findings/account_id={Account}/region=us-east-1/export_date={DateTime.UtcNow:yyyy-MM-dd}/export_id={exportId}/", TestContext.CancellationToken), "nothing in the ASFF folder");
        var requests = source.Requests.ToList();
        Assert.IsTrue(requests.All(r => r.Query.Contains("\"FieldName\":\"cloud.account.uid\",\"Filter\":{\"Value\":\"111122223333\"", StringComparison.Ordinal)), "every GetFindingsV2 asks for this account's findings: " + requests[0].Query);
        Assert.IsTrue(requests.All(r => r.Query.Contains("finding_info.modified_time_dt", StringComparison.Ordinal)));
        Assert.AreEqual("v2", final.Api);
        var detail = JsonSerializer.Serialize(final.ToEvent(exportId, Account, "us-east-1", attempt: 0), OrchestrationJsonContext.Default.RegionExportEvent);
        StringAssert.Contains(detail, "\"api\":\"v2\"");
    }

    [TestMethod]
    public async Task HandleAsync_ApiV2WithGetFindingsFilters_FailedNamingTheFilter()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var function = new ExporterFunction(Service(member.CreateFindingSource()));
        using var filters = JsonDocument.Parse("""{"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}]}""");

        var output = await ExporterLoop.InvokeAsync(function, ExporterLoop.FirstInput("20261202T170000Z-5c09e0f3", "us-east-1", DateTimeOffset.UtcNow, filters.RootElement.Clone()) with { Api = "v2" });
        var unknown = await ExporterLoop.InvokeAsync(function, ExporterLoop.FirstInput("20261202T170000Z-5c09e0f4", "us-east-1", DateTimeOffset.UtcNow) with { Api = "v9" });

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        StringAssert.Contains(output.Error, "\"SeverityLabel\" is not part of GetFindingsV2 filters");
        Assert.AreEqual(RegionExportStatus.Failed, unknown.Status);
        StringAssert.Contains(unknown.Error, "Unknown API 'v9'");
    }

    [TestMethod]
    public async Task HandleAsync_FiltersNameOtherAccounts_SentAsGivenWithOwnRegion()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var source = new RecordingFindingSource(member.CreateFindingSource());
        var function = new ExporterFunction(Service(source));
        using var filters = JsonDocument.Parse("""{"AwsAccountId":[{"Value":"444455556666","Comparison":"EQUALS"}]}""");
        var input = ExporterLoop.FirstInput("20261202T170000Z-5c09e001", "us-east-1", DateTimeOffset.UtcNow, filters.RootElement.Clone());

        var output = await ExporterLoop.InvokeAsync(function, input);

        Assert.AreEqual(RegionExportStatus.Complete, output.Status, output.Error);
        Assert.AreEqual(0L, output.Counts.Findings, "the emulator holds no finding of 444455556666");
        var query = source.Requests.First().Query;
        StringAssert.Contains(query, "{\"Filters\":{\"AwsAccountId\":[{\"Value\":\"444455556666\",\"Comparison\":\"EQUALS\"}],\"Region\":[{\"Value\":\"us-east-1\",\"Comparison\":\"EQUALS\"}],\"UpdatedAt\":");
    }

    [TestMethod]
    public async Task HandleAsync_GetFindingsDenied_FailedWithFailureKindAccessDenied()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var function = new ExporterFunction(Service(member.CreateFindingSource()));

        var output = await ExporterLoop.InvokeAsync(function, ExporterLoop.FirstInput("20261202T170000Z-5c09e002", "eu-central-1", DateTimeOffset.UtcNow));
        var detail = output.ToEvent("20261202T170000Z-5c09e002", Account, "eu-central-1", attempt: 2);

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.AreEqual(FailureKinds.AccessDenied, output.FailureKind);
        Assert.AreEqual(FailureKinds.AccessDenied, detail.FailureKind);
        Assert.AreEqual(2, detail.Attempt);
        StringAssert.Contains(JsonSerializer.Serialize(detail, OrchestrationJsonContext.Default.RegionExportEvent), "\"failureKind\":\"access-denied\"");
    }

    [TestMethod]
    public async Task HandleAsync_InvalidInput_FailedWithFailureKindError()
    {
        using var member = LocalAws.Member(_emulator, Account);
        var function = new ExporterFunction(Service(member.CreateFindingSource()));

        var output = await ExporterLoop.InvokeAsync(function, ExporterLoop.FirstInput("20261202T170000Z-5c09e003", "us-east-1", DateTimeOffset.UtcNow) with { HandOverAfterSeconds = 0 });

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.AreEqual(FailureKinds.Error, output.FailureKind);
        StringAssert.Contains(output.Error, "handOverAfterSeconds 0");
    }

    [TestMethod]
    [DataRow(21 * 3600, true)]
    [DataRow(19 * 3600, false)]
    public async Task HandleAsync_ExecutionAge_HandOverOnlyPastTheLimitAndOnlyWrittenWhenTrue(int ageSeconds, bool expected)
    {
        using var member = LocalAws.Member(_emulator, Account);
        var function = new ExporterFunction(Service(member.CreateFindingSource()));
        var input = ExporterLoop.FirstInput($"20261202T170000Z-5c09e{ageSeconds % 1000:D3}", "us-east-1", DateTimeOffset.UtcNow) with
        {
            ExecutionStartTime = DateTimeOffset.UtcNow.AddSeconds(-ageSeconds),
            HandOverAfterSeconds = 20 * 3600,
        };

        using var request = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(input, ExporterJsonContext.Default.ExporterInput));
        await using var response = await function.HandleAsync(request);
        var json = await new StreamReader(response, Encoding.UTF8).ReadToEndAsync(TestContext.CancellationToken);
        var output = JsonSerializer.Deserialize(json, ExporterJsonContext.Default.ExporterOutput)!;

        Assert.AreEqual(ExporterOutput.InProgress, output.Status, output.Error);
        Assert.IsNotNull(output.Checkpoint);
        Assert.AreEqual(expected ? true : null, output.HandOver);
        Assert.AreEqual(expected, json.Contains("\"handOver\":true", StringComparison.Ordinal), json[..Math.Min(200, json.Length)]);
        Assert.DoesNotContain("\"handOver\":false", json);
    }

    private static RegionExportService Service(Core.Findings.IFindingSource source) => new(
        source,
        RegionExportService.S3Sinks(_s3, plainBodies: true),
        new RecordingFindingCounter(),
        _ => Task.FromResult(Account),
        ExporterFunctionTests.Options(TimeSpan.FromSeconds(2)),
        TimeProvider.System,
        spool: new MemorySpool());

    private static JsonNode Finding(string id, string region)
    {
        var finding = JsonNode.Parse(SampleFindings.Control(7, Account, region))!;
        var updated = DateTimeOffset.UtcNow.AddDays(-1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        finding["Id"] = id;
        finding["CreatedAt"] = updated;
        finding["UpdatedAt"] = updated;
        return finding;
    }

    private async Task ImportAsync(AwsClients member, params JsonNode[] findings)
    {
        var body = new JsonObject { ["Findings"] = new JsonArray(findings) };
        var answer = await member.RestJson.SendAsync(
            new AwsCallContext(AwsService.SecurityHub, "us-east-1", "BatchImportFindings"),
            HttpMethod.Post,
            "/findings/import",
            Encoding.UTF8.GetBytes(body.ToJsonString()),
            TestContext.CancellationToken);
        Assert.AreEqual(0, JsonNode.Parse(answer)!["FailedCount"]!.GetValue<int>(), Encoding.UTF8.GetString(answer));
    }
}
