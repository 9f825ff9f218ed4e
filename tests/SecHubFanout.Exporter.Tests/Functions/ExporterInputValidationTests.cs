using System.Text.Json;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Exporter.Tests.Fakes;
using SecHubFanout.Exporter.Tests.Support;

namespace SecHubFanout.Exporter.Tests.Functions;

/// <summary>Inputs the handler cannot use are answered <c>failed</c> (so the state machine ends the Region) with a message that says what to fix.</summary>
[TestClass]
public sealed class ExporterInputValidationTests
{
    private const string Account = "111122223333";
    private const string ExportId = "20261123T190000Z-1a2b3c4d";
    private static readonly DateTimeOffset Until = new(2026, 11, 23, 19, 0, 0, TimeSpan.Zero);

    private readonly ScriptedFindingSource _source = new();
    private readonly List<ExporterDestination> _destinations = [];
    private ExporterFunction _function = null!;

    [TestInitialize]
    public void CreateFunction()
    {
        var service = new RegionExportService(
            _source,
            d =>
            {
                _destinations.Add(d);
                return new DirectoryPartSink(Path.Combine(Path.GetTempPath(), "exporter-validation-" + Guid.NewGuid().ToString("N")));
            },
            new RecordingFindingCounter(),
            _ => Task.FromResult(Account),
            ExporterFunctionTests.Options(TimeSpan.FromSeconds(30)),
            TimeProvider.System,
            spool: new MemorySpool());
        _function = new ExporterFunction(service);
    }

    [TestMethod]
    public async Task HandleAsync_EmptyObject_FailsNamingEveryMissingField()
    {
        var output = await ExporterLoop.InvokeRawAsync(_function, new MemoryStream("{}"u8.ToArray()));

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.IsTrue(output.IsDone);
        StringAssert.StartsWith(output.Error, "The exporter input is invalid: ");
        foreach (var expected in new[] { "exportId is missing", "region is missing", "until is missing", "destination is missing" })
        {
            Assert.Contains(expected, output.Error!);
        }

        Assert.AreEqual(0, _source.Calls);
    }

    [TestMethod]
    public async Task HandleAsync_NotJson_FailsSayingTheInputIsNotJson()
    {
        var output = await ExporterLoop.InvokeRawAsync(_function, new MemoryStream("exportId=1"u8.ToArray()));

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        StringAssert.StartsWith(output.Error, "The exporter input is not valid JSON");
    }

    [TestMethod]
    public async Task HandleAsync_BadValues_FailsNamingEachValue()
    {
        var input = Valid() with
        {
            ExportId = "bad/id",
            Region = "Ireland",
            AccountId = "12345",
            Since = Until.AddDays(1),
            Destination = new ExporterDestination("central-findings", "exports/", null),
        };

        var output = await ExporterLoop.InvokeAsync(_function, input);

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.Contains("exportId 'bad/id' is not an export ID", output.Error!);
        Assert.Contains("region 'Ireland' is not a Region name", output.Error!);
        Assert.Contains("accountId '12345' is not a 12-digit AWS account ID", output.Error!);
        Assert.Contains("is after until", output.Error!);
        Assert.Contains("destination.prefix 'exports/' must end with 'findings/'", output.Error!);
        Assert.Contains("destination.kmsKeyArn is missing", output.Error!);
        Assert.IsEmpty(_destinations, "no sink is made for a bad destination");
    }

    [TestMethod]
    public async Task HandleAsync_FilterOnUpdatedAt_FailsPointingToSince()
    {
        using var filters = JsonDocument.Parse("{\"UpdatedAt\":[{\"DateRange\":{\"Value\":7,\"Unit\":\"DAYS\"}}]}");

        var output = await ExporterLoop.InvokeAsync(_function, Valid() with { Filters = filters.RootElement.Clone() });

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.Contains("filters: ", output.Error!);
        Assert.Contains("give the export a since instant", output.Error!);
    }

    [TestMethod]
    public async Task HandleAsync_CheckpointOfAnotherRegion_FailsNamingBoth()
    {
        var window = new UpdatedAtWindow(0, ExportPlan.Epoch, Until);
        var checkpoint = new ExportCheckpoint(ExportCheckpoint.CurrentVersion, ExportId, Account, "us-west-2", Until, FindingFilters.None.Fingerprint, [WindowCheckpoint.NotStarted(window)]);
        using var json = JsonDocument.Parse(checkpoint.ToJson());

        var output = await ExporterLoop.InvokeAsync(_function, Valid() with { Checkpoint = json.RootElement.Clone() });

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.Contains("Region us-west-2", output.Error!);
        Assert.Contains("Region us-east-1", output.Error!);
        Assert.AreEqual(0, _source.Calls);
    }

    [TestMethod]
    public async Task HandleAsync_CorruptCheckpoint_FailsSayingWhatIsWrong()
    {
        using var json = JsonDocument.Parse("{\"version\":1,\"exportId\":\"x\"}");

        var output = await ExporterLoop.InvokeAsync(_function, Valid() with { Checkpoint = json.RootElement.Clone() });

        Assert.AreEqual(RegionExportStatus.Failed, output.Status);
        Assert.Contains("checkpoint: The checkpoint is incomplete", output.Error!);
    }

    [TestMethod]
    public async Task HandleAsync_ValidInputWithoutFindings_CompletesAndWritesBelowTheFindingsRoot()
    {
        var output = await ExporterLoop.InvokeAsync(_function, Valid() with { Destination = new ExporterDestination("central-findings", "tenant-a/" + FanoutNames.FindingsPrefix, "arn:aws:kms:us-east-1:999988887777:key/k") });

        Assert.AreEqual(RegionExportStatus.Complete, output.Status, output.Error);
        Assert.IsTrue(output.IsDone);
        Assert.IsGreaterThan(0, _source.Calls);
        Assert.AreEqual("tenant-a/" + FanoutNames.FindingsPrefix, _destinations.Single().Prefix);
        using var s3 = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.AnonymousAWSCredentials(), Amazon.RegionEndpoint.USEast1);
        var sink = RegionExportService.S3Sinks(s3, plainBodies: false)(_destinations.Single());
        StringAssert.StartsWith(sink.Describe(PartKeys.PartKey(PartKeys.PartitionPrefix(ExportId, Account, "us-east-1", Until), 0, 0, ".parquet")), "s3://central-findings/tenant-a/findings/account_id=111122223333/");
    }

    [TestMethod]
    public async Task HandleAsync_EmptyCountsAsTheStateMachineStartsARegion_CompletesCountingFromZero()
    {
        // The member state machine's Map item starts every Region with "counts": {} (so a failure can always report $.counts).
        var json = JsonSerializer.SerializeToNode(Valid(), ExporterJsonContext.Default.ExporterInput)!.AsObject();
        json["counts"] = new System.Text.Json.Nodes.JsonObject();

        var output = await ExporterLoop.InvokeRawAsync(_function, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(json)));

        Assert.AreEqual(RegionExportStatus.Complete, output.Status, output.Error);
        Assert.AreEqual(0L, output.Counts.Findings);
        Assert.IsGreaterThan(0L, output.Counts.Pages);
    }

    private static ExporterInput Valid() => new(
        ExportId,
        Account,
        "us-east-1",
        null,
        null,
        Until,
        null,
        null,
        new ExporterDestination("central-findings", FanoutNames.FindingsPrefix, "arn:aws:kms:us-east-1:999988887777:key/k"));
}
