using System.IO.Compression;
using System.Text.Json;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Auth;
using SecHubFanout.Aws.Checkpoints;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Sinks;
using SecHubFanout.Emulator;
using SecHubFanout.TestSupport;
using SecHubFanout.Exporter.Tests.Fakes;
using SecHubFanout.Exporter.Tests.Support;

namespace SecHubFanout.Exporter.Tests.Functions;

/// <summary>
/// The exporter with the member's checkpoint table (DynamoDB protocol, dynalite): every advance is saved there, windows split by
/// timing, and an invocation that dies without answering is retried from its input (as the state machine does) yet resumes from
/// what it stored, so no finding is stored twice even though its splits were decided by timing.
/// </summary>
[TestClass]
public sealed class CheckpointTableTests
{
    private const string Account = "444455556666";
    private const string Region = "us-east-1";
    private static SecurityHubEmulator _emulator = null!;
    private static DynaliteServer _dynalite = null!;
    private static AwsClients _dynamoClients = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartServersAsync(TestContext context)
    {
        _ = context;
        _emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account],
            Regions = [Region],
            FindingsPerRegion = 1_500,
            GetFindingsRate = 10_000,
            GetFindingsBurst = 10_000,
            Latency = TimeSpan.FromMilliseconds(10),
        });
        _dynalite = await DynaliteServer.StartAsync();
        _dynamoClients = LocalAws.DynamoDb(_dynalite);
    }

    [ClassCleanup]
    public static async Task StopServersAsync()
    {
        _dynamoClients.Dispose();
        await _dynalite.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [TestMethod]
    [DataRow(6)]
    [DataRow(14)]
    public async Task RetryOfAnInvocationThatDied_ResumesFromTheTableAndStoresEveryFindingOnce(int partsBeforeCrash)
    {
        using var dynamo = _dynamoClients.CreateDynamoDbClient();
        var table = await LocalCheckpointTable.CreateAsync(dynamo, TestContext.CancellationToken);
        var store = new DynamoDbCheckpointStore(dynamo, table);
        var folder = Directory.CreateTempSubdirectory("sechub-checkpoint-table-").FullName;
        try
        {
            var armed = true;
            var sink = new CrashingSink(new DirectoryPartSink(folder), () => armed, partsBeforeCrash);
            using var member = LocalAws.Member(_emulator, Account);
            var function = new ExporterFunction(Service(member, _ => sink, store, table));
            var input = ExporterLoop.FirstInput("20261203T090000Z-c4e0a11e", Region, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

            // The invocation dies while storing a part; the state machine's retry gets the same input (no checkpoint).
            await ExporterLoop.InvokeAsync(function, input);
            var stored = await store.LoadAsync(input.ExportId!, Account, Region, TestContext.CancellationToken);
            Assert.IsNotNull(stored, "every advance was saved to the table");
            Assert.IsGreaterThan(0L, stored.Revision);
            Assert.IsTrue(stored.Windows.Any(w => w.SplitOff), "windows split by timing before the crash");
            armed = false;
            var (final, _) = await ExporterLoop.RunAsync(function, input);

            Assert.AreEqual(RegionExportStatus.Complete, final.Status, final.Error);
            var ids = ReadIds(folder);
            Assert.HasCount(ids.Count, ids.Distinct().ToList(), "no finding may be stored twice");
            CollectionAssert.AreEquivalent(_emulator.FindingIds(Account, Region).ToList(), ids);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Constructor_SplitsByTimingWithoutATable_IsRefused()
    {
        var options = ExporterFunctionTests.Options(TimeSpan.FromSeconds(5));
        options = options with { Export = options.Export with { SplitWhenIdle = true } };

        var e = Assert.ThrowsExactly<ArgumentException>(() => new RegionExportService(
            new EndlessFindingSource(pageSize: 100), _ => new DirectoryPartSink(Path.GetTempPath()), new RecordingFindingCounter(), _ => Task.FromResult(Account), options, TimeProvider.System));

        Assert.Contains("checkpoint", e.Message);
    }

    private static RegionExportService Service(AwsClients member, Func<ExporterDestination, IPartSink> sinks, ICheckpointStore store, string table)
    {
        var options = ExporterFunctionTests.Options(TimeSpan.FromSeconds(60)) with { CheckpointTable = table };
        options = options with
        {
            Export = options.Export with
            {
                RecentWindows = 1,
                PageSize = 50,
                PartSize = 100,
                WindowConcurrency = 6,
                MaxWindowConcurrency = 6,
                SplitWhenIdle = true,
                Quota = new QuotaOptions { RequestsPerSecond = 1_000, Burst = 1_000 },
            },
        };
        var caller = new CallerAccount(member.CreateStsClient());
        return new RegionExportService(
            member.CreateFindingSource(), sinks, new RecordingFindingCounter(), caller.GetAsync, options, TimeProvider.System, new JsonlGzPartFormat(), new MemorySpool(), store);
    }

    private static List<string> ReadIds(string folder)
    {
        var ids = new List<string>();
        foreach (var file in Directory.GetFiles(folder, "*.jsonl.gz", SearchOption.AllDirectories))
        {
            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            while (reader.ReadLine() is { Length: > 0 } line)
            {
                using var document = JsonDocument.Parse(line);
                ids.Add(document.RootElement.GetProperty("Id").GetString()!);
            }
        }

        return ids;
    }
}
