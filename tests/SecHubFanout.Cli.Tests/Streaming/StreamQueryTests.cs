using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using SecHubFanout.Aws.S3;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Cli.Tests.Exporting;
using SecHubFanout.Coordinator;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Streaming;
using SecHubFanout.Emulator;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Cli.Tests.Streaming;

/// <summary>
/// The live stream end to end but for AWS: the findings the emulator serves, wrapped in documented-shape <c>Security Hub Findings -
/// Imported</c> events and SQS batch events, go through the stream writer Lambda into s3rver; <c>sechub-fanout query</c> reads them back
/// with the same columns and values as <c>sechub-fanout export</c> of the same findings, and a replayed batch changes no result.
/// </summary>
[TestClass]
public sealed class StreamQueryTests
{
    private const string Member = "555555555555";
    private const string Central = "999988887777";
    private const string Region = "eu-west-1";
    private const string Bucket = "sechub-stream-findings";
    private static readonly DateTimeOffset EventTime = new(2026, 12, 2, 18, 5, 0, TimeSpan.Zero);

    // What differs by construction between an export and the stream: which export, when, and the export's date.
    private const string SameColumns = "SELECT * EXCLUDE (export_id, exported_at, export_date) FROM findings ORDER BY id";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task StreamWriter_EmulatorFindingsAsEvents_QueryReadsTheSameRowsAsAnExportAndReplayChangesNothing()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Member],
            Regions = [Region],
            FindingsPerRegion = 60,
            GetFindingsRate = 1000,
            GetFindingsBurst = 1000,
        });
        await using var s3rver = await S3rverServer.StartAsync(Bucket);
        using var temp = new TempDirectory();
        var exported = Path.Combine(temp.Path, "export");
        var streamed = Path.Combine(temp.Path, "stream");

        var export = await CliProcess.RunAsync(CliEnvironment.ForAccount(Member), "export", "--regions", Region, "--out", exported, "--endpoint-url", emulator.Endpoint.ToString());
        Assert.AreEqual(0, export.ExitCode, export.Stdout + export.Stderr);

        // The member forwards its own findings' events (envelope account = the member), in two SQS batches.
        var findings = await ServedFindings.ReadAsync(emulator, Member, Region);
        var messages = findings.Select((f, i) => (MessageId: $"msg-{i:D3}", Body: FindingEventSamples.Event(f, $"evt-{i:D3}", Member, Region, EventTime.AddSeconds(i)))).ToList();
        var batches = new[] { messages.Take(35).ToList(), messages.Skip(35).ToList() };
        using var s3 = s3rver.CreateClient();
        var function = CreateFunction(s3);
        foreach (var batch in batches)
        {
            Assert.AreEqual("{\"batchItemFailures\":[]}", await InvokeAsync(function, batch));
        }

        await DownloadAsync(s3, streamed);
        var exportColumns = await QueryAsync(exported, "SELECT column_name, column_type FROM (DESCRIBE findings)");
        var streamColumns = await QueryAsync(streamed, "SELECT column_name, column_type FROM (DESCRIBE findings)");
        Assert.AreEqual(exportColumns, streamColumns, "the same columns");
        var exportRows = await QueryAsync(exported, SameColumns);
        var streamRows = await QueryAsync(streamed, SameColumns);
        Assert.AreEqual(findings.Count + 1, streamRows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, "a header and one row per finding");
        Assert.AreEqual(exportRows, streamRows, "the same values, finding JSON included");
        Assert.AreEqual("export_id\nstream-2026120218\n", await QueryAsync(streamed, "SELECT DISTINCT export_id FROM findings"));

        var everything = await QueryAsync(streamed, "SELECT * FROM findings ORDER BY id");
        var latest = await QueryAsync(streamed, "SELECT * FROM findings_latest ORDER BY id");
        foreach (var batch in batches.Reverse())
        {
            Assert.AreEqual("{\"batchItemFailures\":[]}", await InvokeAsync(function, batch));
        }

        await DownloadAsync(s3, streamed);
        Assert.AreEqual(everything, await QueryAsync(streamed, "SELECT * FROM findings ORDER BY id"), "a replayed batch changes no row of the table");
        Assert.AreEqual(latest, await QueryAsync(streamed, "SELECT * FROM findings_latest ORDER BY id"), "nor of the current view");
    }

    private static StreamWriterFunction CreateFunction(IAmazonS3 s3)
    {
        var sink = new S3PartSink(s3, new S3PartSinkOptions { BucketName = Bucket, UseChunkEncoding = false });
        var writer = new StreamBatchWriter(new ParquetPartFormat(), sink, new TempFileSpool(), new NoPartitions(), new StreamWriterOptions { OwnAccountId = Central });
        return new StreamWriterFunction(writer);
    }

    private static async Task<string> InvokeAsync(StreamWriterFunction function, IEnumerable<(string MessageId, byte[] Body)> batch)
    {
        await using var output = await function.HandleAsync(new MemoryStream(FindingEventSamples.SqsBatch(batch)));
        using var reader = new StreamReader(output, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private async Task<string> QueryAsync(string folder, string sql)
    {
        var result = await CliProcess.RunAsync("query", sql, "--in", folder, "--format", "csv");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        return result.Stdout.ReplaceLineEndings("\n");
    }

    /// <summary>Copies every object below findings/ into <paramref name="folder"/> at its key's path (replacing what is there).</summary>
    private async Task DownloadAsync(IAmazonS3 s3, string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "findings/" }, TestContext.CancellationToken);
        foreach (var item in listed.S3Objects ?? [])
        {
            var path = Path.Combine(folder, item.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var response = await s3.GetObjectAsync(Bucket, item.Key, TestContext.CancellationToken);
            await using var file = File.Create(path);
            await response.ResponseStream.CopyToAsync(file, TestContext.CancellationToken);
        }
    }

    private sealed class NoPartitions : IPartitionRegistrar
    {
        public Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
