using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Aws;
using SecHubFanout.Core.Checkpoints;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Resilience;
using SecHubFanout.Core.Tests.Fakes;
using SecHubFanout.Emulator;

namespace SecHubFanout.Core.Tests.Integration;

/// <summary>The engine over the real SigV4 wire layer against the Security Hub emulator, comparing the IDs written with the IDs served.</summary>
[TestClass]
public sealed class EmulatorExportTests
{
    private const string Account = "111122223333";

    [TestMethod]
    public async Task ExportAsync_ThrottlingStorm_SlowsDownAndExportsEveryFinding()
    {
        // The engine believes it may send 200 req/s; the service allows 20 (burst 4): most first attempts are throttled.
        await using var emulator = await SecurityHubEmulator.StartAsync(Emulator() with { GetFindingsRate = 20, GetFindingsBurst = 4, FindingsPerRegion = 1500 });
        var options = Options() with { Quota = new QuotaOptions { RequestsPerSecond = 200, Burst = 50, ThrottlePause = TimeSpan.FromMilliseconds(100) } };
        var sink = new InMemoryPartSink();

        var result = await ExportAsync(emulator, options, sink, ["us-east-1"]);

        var region = result.Regions.Single();
        Assert.AreEqual(RegionStatus.Complete, region.Status, region.Reason);
        Assert.IsGreaterThan(0, region.Throttles);
        AssertExportedExactly(emulator.FindingIds(Account, "us-east-1"), sink);
    }

    [TestMethod]
    public async Task ExportAsync_ServerErrorsAndDroppedConnections_RetriesAndExportsEveryFinding()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(Emulator() with { FaultRate = 0.05, DropRate = 0.05, FindingsPerRegion = 1500 });
        var sink = new InMemoryPartSink();

        var result = await ExportAsync(emulator, Options(), sink, ["us-east-1"]);

        var region = result.Regions.Single();
        Assert.AreEqual(RegionStatus.Complete, region.Status, region.Reason);
        Assert.IsGreaterThan(0, region.Retries);
        AssertExportedExactly(emulator.FindingIds(Account, "us-east-1"), sink);
    }

    [TestMethod]
    public async Task ExportAsync_RegionNotEnabled_ReportedWhileTheOtherRegionCompletes()
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(Emulator() with { Regions = ["us-east-1"], DisabledRegions = ["eu-west-1"], FindingsPerRegion = 300 });
        var sink = new InMemoryPartSink();

        var result = await ExportAsync(emulator, Options(), sink, ["us-east-1", "eu-west-1"]);

        Assert.AreEqual(RegionStatus.Complete, result.Regions[0].Status, result.Regions[0].Reason);
        Assert.AreEqual(RegionStatus.NotEnabled, result.Regions[1].Status);
        Assert.IsTrue(result.IsComplete);
        AssertExportedExactly(emulator.FindingIds(Account, "us-east-1"), sink);
    }

    [TestMethod]
    public async Task ExportAsync_KilledThenResumedAfterTheSavedTokensExpired_RestartsWindowsAndExportsEveryFindingOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));
        await using var emulator = await SecurityHubEmulator.StartAsync(Emulator() with
        {
            FindingsPerRegion = 1500,
            GetFindingsBurst = 100_000,
            TokenLifetime = TimeSpan.FromMinutes(1),
            TimeProvider = time,
        });
        var options = Options() with { PartSize = 200, RecentWindows = 3, WindowConcurrency = 2 };
        var sink = new InMemoryPartSink();
        ExportCheckpoint? persisted = null;
        using var kill = new CancellationTokenSource();
        var callbacks = new ExportCallbacks
        {
            CheckpointSaved = async (checkpoint, _) =>
            {
                persisted = ExportCheckpoint.Parse(checkpoint.ToJson());
                if (checkpoint.Windows.Any(w => w.NextToken is not null && w.Findings >= 200))
                {
                    await kill.CancelAsync();
                }
            },
        };

        await Assert.ThrowsAsync<OperationCanceledException>(() => ExportAsync(emulator, options, sink, ["us-east-1"], null, callbacks, kill.Token));
        time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await ExportAsync(emulator, options, sink, ["us-east-1"], [persisted!], null, CancellationToken.None);

        var region = resumed.Regions.Single();
        Assert.AreEqual(RegionStatus.Complete, region.Status, region.Reason);
        Assert.IsGreaterThanOrEqualTo(1, region.WindowRestarts, "the saved token had expired");
        AssertExportedExactly(emulator.FindingIds(Account, "us-east-1"), sink);
    }

    private static EmulatorOptions Emulator() => new()
    {
        Accounts = [Account],
        Regions = ["us-east-1"],
        GetFindingsRate = 1000,
        GetFindingsBurst = 1000,
        Seed = 7,
    };

    private static ExportOptions Options() => new()
    {
        PartSize = 500,
        Quota = new QuotaOptions { RequestsPerSecond = 1000, Burst = 1000, ThrottlePause = TimeSpan.FromMilliseconds(50) },
        Retry = new RetryOptions { MaxRetries = 10, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(500) },
    };

    private static Task<AccountResult> ExportAsync(SecurityHubEmulator emulator, ExportOptions options, InMemoryPartSink sink, IReadOnlyList<string> regions) =>
        ExportAsync(emulator, options, sink, regions, null, null, CancellationToken.None);

    private static async Task<AccountResult> ExportAsync(
        SecurityHubEmulator emulator,
        ExportOptions options,
        InMemoryPartSink sink,
        IReadOnlyList<string> regions,
        IReadOnlyCollection<ExportCheckpoint>? resume,
        ExportCallbacks? callbacks,
        CancellationToken cancellationToken)
    {
        using var clients = AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials(Account, "test"),
            EndpointUrl = emulator.Endpoint,
            Region = regions[0],
            Timeout = TimeSpan.FromSeconds(10),
            AccountId = Account,
            Environment = static _ => null,
        });
        var exporter = new AccountExporter(clients.CreateFindingSource(), sink, new JsonlGzPartFormat(), options, TimeProvider.System, new MemorySpool());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        return await exporter.ExportAsync(new ExportRequest { ExportId = "it-1", AccountId = Account }, regions, resume, callbacks, timeout.Token);
    }

    private static void AssertExportedExactly(IReadOnlySet<string> served, InMemoryPartSink sink)
    {
        var written = sink.Objects.Values.SelectMany(ReadIds).ToList();
        Assert.IsNotEmpty(served);
        Assert.HasCount(written.Count, written.ToHashSet(StringComparer.Ordinal), "no finding may be written twice");
        Assert.IsTrue(served.SetEquals(written), $"served {served.Count}, written {written.Count}");
    }

    private static IEnumerable<string> ReadIds(byte[] part)
    {
        using var gzip = new GZipStream(new MemoryStream(part), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var ids = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            ids.Add(document.RootElement.GetProperty("Id").GetString()!);
        }

        return ids;
    }
}
