using System.Text;
using System.Text.Json;
using SecHubFanout.Coordinator.Tests.Fakes;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Streaming;
using SecHubFanout.Emulator.Findings;
using SecHubFanout.TestSupport;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Coordinator.Tests.Streaming;

/// <summary>
/// The stream writer Lambda fed SQS batch events of documented-shape <c>Security Hub Findings - Imported</c> events: what it stores, what
/// it reports as batch item failures, and that a redelivered batch changes nothing.
/// </summary>
[TestClass]
public sealed class StreamWriterFunctionTests
{
    private const string Central = "999988887777";
    private const string MemberA = "111122223333";
    private const string MemberB = "444455556666";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 19, 41, 7, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HandleAsync_AdministratorEvents_StoresEachFindingByteForByteInItsAccountRegionAndHour()
    {
        var (function, sink, registrar) = Create();
        // One finding pretty-printed and with escapes, as a product might import it: the finding column must keep these bytes.
        var pretty = Encoding.UTF8.GetBytes("{\n  \"SchemaVersion\": \"2018-10-08\",\n  \"Id\": \"custom/\\u00e9t\\u00e9-1\",\n  \"ProductArn\": \"arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default\",\n  \"GeneratorId\": \"custom\",\n  \"AwsAccountId\": \"111122223333\",\n  \"Region\": \"eu-west-1\",\n  \"Title\": \"caf\u00e9 \\\"quoted\\\"\",\n  \"UpdatedAt\": \"2026-12-02T19:40:00Z\",\n  \"CreatedAt\": \"2026-12-02T19:40:00Z\"\n}");
        var sent = new List<(string MessageId, byte[] Body, byte[] Finding)>();
        for (var i = 0; i < 6; i++)
        {
            var finding = SampleFindings.Control(i, account: i % 2 == 0 ? MemberA : MemberB, region: i < 3 ? "eu-west-1" : "us-east-1");
            sent.Add(($"m-{i}", FindingEventSamples.Event(finding, $"e-{i}", Central, "us-east-1", At.AddMinutes(i * 3)), finding));
        }

        sent.Add(("m-pretty", FindingEventSamples.Event(pretty, "e-pretty", Central, "us-east-1", At), pretty));

        var response = await InvokeAsync(function, sent.Select(s => (s.MessageId, s.Body)));

        Assert.IsEmpty(response, "no message failed");
        var rows = await StreamParts.ReadAsync(sink.Objects, TestContext.CancellationToken);
        CollectionAssert.AreEquivalent(sent.Select(s => SampleFindingsId(s.Finding)).ToList(), rows.Select(r => r.Id).ToList(), "every finding once");
        foreach (var (_, _, finding) in sent)
        {
            var row = rows.Single(r => r.Id == SampleFindingsId(finding));
            CollectionAssert.AreEqual(finding, Encoding.UTF8.GetBytes(row.Finding), "the finding column is the finding as delivered");
            using var parsed = JsonDocument.Parse(finding);
            var account = parsed.RootElement.GetProperty("AwsAccountId").GetString();
            var region = parsed.RootElement.GetProperty("Region").GetString();
            StringAssert.StartsWith(row.Key, $"findings/account_id={account}/region={region}/export_date=2026-12-02/export_id=stream-2026120219/part-");
            Assert.AreEqual(Central, row.SourceAccountId, "the source is the account whose bus received the event");
            Assert.AreEqual("us-east-1", row.SourceRegion);
        }

        CollectionAssert.AreEquivalent(
            new[] { ("stream-2026120219", MemberA, "eu-west-1"), ("stream-2026120219", MemberB, "eu-west-1"), ("stream-2026120219", MemberA, "us-east-1"), ("stream-2026120219", MemberB, "us-east-1") },
            registrar.Registered.Distinct().ToArray(),
            "each partition registered, once per container");
        Assert.HasCount(4, registrar.Registered);
    }

    [TestMethod]
    public async Task HandleAsync_ReplayedBatch_RewritesTheSameKeysWithTheSameBytes()
    {
        var (function, sink, _) = Create();
        var batch = Enumerable.Range(0, 20)
            .Select(i => ($"m-{i}", FindingEventSamples.Event(SampleFindings.Control(i, MemberA, "eu-west-1"), $"e-{i}", Central, "eu-west-1", At.AddMinutes(i))))
            .ToList();

        Assert.IsEmpty(await InvokeAsync(function, batch));
        var first = sink.Objects.ToDictionary(kv => kv.Key, kv => kv.Value);
        var putsAfterFirst = sink.Puts;
        Assert.IsEmpty(await InvokeAsync(function, batch));

        Assert.AreEqual(2 * putsAfterFirst, sink.Puts, "the replay was written again");
        CollectionAssert.AreEquivalent(first.Keys.ToList(), sink.Objects.Keys.ToList(), "under the same keys");
        foreach (var (key, bytes) in first)
        {
            CollectionAssert.AreEqual(bytes, sink.Objects[key], $"{key} has the same bytes");
        }
    }

    [TestMethod]
    public async Task HandleAsync_SameEventTwiceInOneBatch_StoresItOnceAndAcksBoth()
    {
        var (function, sink, _) = Create();
        var body = FindingEventSamples.Event(SampleFindings.Control(1, MemberA, "eu-west-1"), "e-dup", Central, "eu-west-1", At);

        var response = await InvokeAsync(function, [("m-1", body), ("m-2", body)]);

        Assert.IsEmpty(response);
        var rows = await StreamParts.ReadAsync(sink.Objects, TestContext.CancellationToken);
        Assert.HasCount(1, rows);
    }

    [TestMethod]
    public async Task HandleAsync_PoisonMessages_ReportsOnlyThemAndStoresTheirSiblings()
    {
        var log = new StringWriter();
        var (function, sink, _) = Create(log);
        var good = Enumerable.Range(0, 5).Select(i => SampleFindings.Control(i, MemberA, "eu-west-1")).ToList();
        var messages = good.Select((f, i) => ($"good-{i}", FindingEventSamples.Event(f, $"e-{i}", Central, "eu-west-1", At))).ToList();
        var badUpdatedAt = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SampleFindings.Control(9, MemberA, "eu-west-1")).Replace("\"UpdatedAt\":\"", "\"UpdatedAt\":5,\"x\":\"", StringComparison.Ordinal));
        var poison = new List<(string, byte[])>
        {
            ("not-json", "{\"version\":\"0\",\"detail\":"u8.ToArray()),
            ("other-event", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(messages[0].Item2).Replace("Security Hub Findings - Imported", "Security Hub Findings - Custom Action", StringComparison.Ordinal))),
            ("bad-field", FindingEventSamples.Event(badUpdatedAt, "e-bad", Central, "eu-west-1", At)),
            // A member may forward only its own findings: account B's event holding account A's finding is refused.
            ("forged", FindingEventSamples.Event(SampleFindings.Control(7, MemberA, "eu-west-1"), "e-forged", MemberB, "eu-west-1", At)),
            ("no-findings", Encoding.UTF8.GetBytes("{\"version\":\"0\",\"id\":\"e-x\",\"detail-type\":\"Security Hub Findings - Imported\",\"source\":\"aws.securityhub\",\"account\":\"999988887777\",\"time\":\"2026-12-02T19:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[],\"detail\":{\"findings\":[]}}")),
        };
        // A member's own finding forwarded from its own bus is accepted.
        var ownForwarded = SampleFindings.Control(8, MemberB, "eu-west-1");
        messages.Add(("member-own", FindingEventSamples.Event(ownForwarded, "e-own", MemberB, "eu-west-1", At)));

        var response = await InvokeAsync(function, [.. messages.Take(2), .. poison, .. messages.Skip(2)]);

        CollectionAssert.AreEqual(poison.Select(p => p.Item1).ToList(), response, "exactly the poison messages, in batch order");
        var rows = await StreamParts.ReadAsync(sink.Objects, TestContext.CancellationToken);
        CollectionAssert.AreEquivalent(good.Select(SampleFindingsId).Append(SampleFindingsId(ownForwarded)).ToList(), rows.Select(r => r.Id).ToList(), "the siblings are stored, none lost");
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(poison.Count, lines, "one log line per refused message");
        StringAssert.Contains(log.ToString(), "a member may stream only its own findings");
        StringAssert.Contains(log.ToString(), "\"poison\":true");
        Assert.IsFalse(log.ToString().Contains("Foundational Security Best Practices", StringComparison.Ordinal), "no finding content in the log");
    }

    [TestMethod]
    public async Task HandleAsync_StoreFailsForOnePartition_ReportsOnlyItsMessagesAndTheirRetryLosesNothing()
    {
        var (function, sink, _) = Create(TextWriter.Null);
        var batch = Enumerable.Range(0, 12)
            .Select(i => (Id: $"m-{i}", Body: FindingEventSamples.Event(SampleFindings.Control(i, i % 3 == 0 ? MemberB : MemberA, "eu-west-1"), $"e-{i}", Central, "eu-west-1", At), Finding: SampleFindings.Control(i, i % 3 == 0 ? MemberB : MemberA, "eu-west-1")))
            .ToList();
        sink.Refuse = key => key.Contains($"account_id={MemberB}/", StringComparison.Ordinal);

        var response = await InvokeAsync(function, batch.Select(b => (b.Id, b.Body)));

        var failedIds = batch.Where((_, i) => i % 3 == 0).Select(b => b.Id).ToList();
        CollectionAssert.AreEqual(failedIds, response, "only the messages of the partition that could not be stored");
        sink.Refuse = _ => false;
        Assert.IsEmpty(await InvokeAsync(function, batch.Where(b => failedIds.Contains(b.Id)).Select(b => (b.Id, b.Body))), "the redelivery succeeds");
        var rows = await StreamParts.ReadAsync(sink.Objects, TestContext.CancellationToken);
        CollectionAssert.AreEquivalent(batch.Select(b => SampleFindingsId(b.Finding)).ToList(), rows.Select(r => r.Id).ToList(), "every finding stored exactly once");
    }

    [TestMethod]
    public async Task HandleAsync_EventsEitherSideOfAnHour_GoToThatHoursStreamPartitions()
    {
        var (function, sink, registrar) = Create();
        var before = SampleFindings.Control(1, MemberA, "eu-west-1");
        var after = SampleFindings.Control(2, MemberA, "eu-west-1");

        var response = await InvokeAsync(function,
        [
            ("m-1", FindingEventSamples.Event(before, "e-1", Central, "eu-west-1", new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero))),
            ("m-2", FindingEventSamples.Event(after, "e-2", Central, "eu-west-1", new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero))),
        ]);

        Assert.IsEmpty(response);
        var rows = await StreamParts.ReadAsync(sink.Objects, TestContext.CancellationToken);
        StringAssert.Contains(rows.Single(r => r.Id == SampleFindingsId(before)).Key, "/export_date=2026-12-31/export_id=stream-2026123123/");
        StringAssert.Contains(rows.Single(r => r.Id == SampleFindingsId(after)).Key, "/export_date=2027-01-01/export_id=stream-2027010100/");
        CollectionAssert.AreEquivalent(new[] { "stream-2026123123", "stream-2027010100" }, registrar.Registered.Select(r => r.ExportId).ToArray());
    }

    [TestMethod]
    public async Task HandleAsync_NotAnSqsEvent_ThrowsSoTheWholeBatchIsRetried()
    {
        var (function, _, _) = Create();

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => function.HandleAsync(new MemoryStream("{\"Records\": 5}"u8.ToArray())));

        StringAssert.Contains(error.Message, "not an SQS batch event");
    }

    private static string SampleFindingsId(byte[] finding) => FindingEventSamples.ReadId(finding);

    private static (StreamWriterFunction Function, MemoryPartSink Sink, RecordingPartitionRegistrar Registrar) Create(TextWriter? log = null)
    {
        var sink = new MemoryPartSink();
        var registrar = new RecordingPartitionRegistrar();
        var writer = new StreamBatchWriter(new ParquetPartFormat(), sink, new MemorySpool(), registrar, new StreamWriterOptions { OwnAccountId = Central });
        return (new StreamWriterFunction(writer, log), sink, registrar);
    }

    private static async Task<List<string>> InvokeAsync(StreamWriterFunction function, IEnumerable<(string MessageId, byte[] Body)> messages)
    {
        await using var output = await function.HandleAsync(new MemoryStream(FindingEventSamples.SqsBatch(messages)));
        using var document = await JsonDocument.ParseAsync(output);
        return [.. document.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!)];
    }
}
