using System.Text;
using System.Text.Json;
using SecHubFanout.Aws.Auth;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Coordinator;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Emulator;
using SecHubFanout.Emulator.Local;
using SecHubFanout.Exporter.Tests.Fakes;
using SecHubFanout.Exporter.Tests.Functions;
using SecHubFanout.Exporter.Tests.Support;
using SecHubFanout.TestSupport;
using SecHubFanout.TestSupport.Fakes;

namespace SecHubFanout.Exporter.Tests.EndToEnd;

/// <summary>
/// One organization-wide export on one machine: the launcher over the DynamoDB ledger (dynalite), each member's exporter handler
/// Region by Region against the Security Hub emulator and s3rver chained through its checkpoints, every Region result through the
/// Coordinator Lambda's entry point, ending with a complete ledger, a manifest in the bucket and one completion email.
/// </summary>
[TestClass]
public sealed class OrganizationExportTests
{
    private const string AccountA = "111111111111";
    private const string AccountB = "222222222222";
    private const string Unreachable = "333333333333";
    private const string NotEnabledRegion = "ap-southeast-2";
    private static readonly string[] EnabledRegions = ["us-east-1", "eu-west-1"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Export_ThreeAccountsOneUnreachableOneRegionNotEnabled_CompletesWithManifestAndOneEmail()
    {
        var ct = TestContext.CancellationToken;
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [AccountA, AccountB, Unreachable],
            Regions = EnabledRegions,
            DisabledRegions = [NotEnabledRegion],
            FindingsPerRegion = 600,
            GetFindingsRate = 5,
            GetFindingsBurst = 1,
            Seed = 5,
        });
        await using var s3rver = await S3rverServer.StartAsync(LocalAws.Bucket);
        await using var dynalite = await DynaliteServer.StartAsync();
        using var s3Clients = LocalAws.S3(s3rver);
        using var s3 = s3Clients.CreateS3Client();
        using var dynamoClients = LocalAws.DynamoDb(dynalite);
        using var dynamo = dynamoClients.CreateDynamoDbClient();
        await LocalLedgerTable.CreateAsync(dynamo, "sechub-fanout-ledger", ct);
        var ledger = new DynamoDbLedger(dynamo, "sechub-fanout-ledger");
        var outbox = new RecordingNotifier();
        var partitions = new RecordingPartitionRegistrar();
        var coordinator = new ExportCoordinator(
            ledger,
            outbox,
            new S3ManifestStore(s3, LocalAws.Bucket, LocalAws.KmsKeyArn),
            partitions,
            new CoordinatorOptions { FindingsBucket = LocalAws.Bucket },
            TimeProvider.System);
        var coordinatorFunction = new CoordinatorFunction(coordinator);
        var members = new MemberExecutions([.. EnabledRegions, NotEnabledRegion], Unreachable);
        var launcher = new ExportLauncher(ledger, new FixedAccountDirectory(AccountA, AccountB, Unreachable), members, coordinator, new LauncherOptions { MaxConcurrency = 2, AccountsPerShard = 1 }, TimeProvider.System);

        // Central: start the export.
        var launch = await launcher.StartAsync(new LaunchRequest(Regions: [.. EnabledRegions, NotEnabledRegion]), ct);

        // Members: each started state machine runs its Regions, each Region a loop of exporter invocations, each result to the bus.
        var responses = new List<string>();
        var invocations = 0;
        foreach (var execution in members.Started.OrderBy(e => e.AccountId, StringComparer.Ordinal))
        {
            using var member = LocalAws.Member(emulator, execution.AccountId);
            var caller = new CallerAccount(member.CreateStsClient());
            var function = new ExporterFunction(new RegionExportService(
                member.CreateFindingSource(),
                RegionExportService.S3Sinks(s3, plainBodies: true),
                new RecordingFindingCounter(),
                caller.GetAsync,
                ExporterFunctionTests.Options(TimeSpan.FromSeconds(2)),
                TimeProvider.System,
                spool: new MemorySpool()));
            foreach (var region in execution.Input.Regions)
            {
                var input = new ExporterInput(
                    execution.Input.ExportId,
                    null,
                    region,
                    execution.Input.Filters,
                    execution.Input.Since,
                    execution.Input.Until,
                    null,
                    null,
                    new ExporterDestination(LocalAws.Bucket, FanoutNames.FindingsPrefix, LocalAws.KmsKeyArn));
                var (final, count) = await ExporterLoop.RunAsync(function, input);
                invocations += count;
                var detail = final.ToEvent(execution.Input.ExportId, execution.AccountId, region, execution.Input.Attempt);
                responses.Add(await SendToCoordinatorAsync(coordinatorFunction, execution.AccountId, detail));
            }
        }

        // EventBridge delivers at least once: a repeated result changes nothing.
        var repeated = await SendToCoordinatorAsync(coordinatorFunction, AccountA, new RegionExportEvent(launch.ExportId, AccountA, NotEnabledRegion, RegionExportStatus.NotEnabled));

        // The ledger: every (account, Region) terminal with the right status and count.
        var export = await ledger.GetExportAsync(launch.ExportId, ct);
        Assert.IsNotNull(export);
        Assert.IsNotNull(export.CompletedAt, "the export is marked complete");
        Assert.IsNotNull(export.LaunchedAt);
        var regions = new List<RegionRecord>();
        await foreach (var region in ledger.ReadRegionsAsync(export, ct))
        {
            regions.Add(region);
        }

        Assert.HasCount(9, regions);
        foreach (var account in new[] { AccountA, AccountB })
        {
            foreach (var region in EnabledRegions)
            {
                var item = regions.Single(r => r.AccountId == account && r.Region == region);
                Assert.AreEqual(RegionExportStatus.Complete, item.Status, item.Error);
                Assert.AreEqual(emulator.FindingIds(account, region).Count, item.Findings, $"{account} {region}");
            }

            Assert.AreEqual(RegionExportStatus.NotEnabled, regions.Single(r => r.AccountId == account && r.Region == NotEnabledRegion).Status);
        }

        Assert.IsTrue(regions.Where(r => r.AccountId == Unreachable).All(r => r.Status == RegionExportStatus.Failed && r.FailureKind == FailureKinds.LaunchFailed && r.Error!.Contains("sts:AssumeRole", StringComparison.Ordinal)));
        var counters = await ledger.GetCountersAsync(export, ct);
        Assert.AreEqual(regions.Sum(r => r.Findings), counters.Findings, "the counters agree with the items");
        Assert.AreEqual(0, counters.Pending);

        // The data: exactly the served findings of the reachable accounts, each once, and nothing outside their prefixes.
        foreach (var account in new[] { AccountA, AccountB })
        {
            var served = EnabledRegions.SelectMany(r => emulator.FindingIds(account, r)).ToHashSet(StringComparer.Ordinal);
            var written = await LocalAws.ExportedIdsAsync(s3, $"{PartKeys.Root}/account_id={account}/", ct);
            Assert.HasCount(written.Count, written.ToHashSet(StringComparer.Ordinal), $"no finding of {account} may be written twice");
            Assert.IsTrue(served.SetEquals(written), $"{account}: served {served.Count}, written {written.Count}");
        }

        var allKeys = await LocalAws.KeysAsync(s3, string.Empty, ct);
        var manifestKey = $"{FanoutNames.ManifestsPrefix}{launch.ExportId}.json";
        Assert.IsEmpty(allKeys.Where(k => k != manifestKey
            && !k.StartsWith($"{PartKeys.Root}/account_id={AccountA}/", StringComparison.Ordinal)
            && !k.StartsWith($"{PartKeys.Root}/account_id={AccountB}/", StringComparison.Ordinal)).ToList());

        // The manifest: the summary, then every account and (account, Region) with its count as served, then how the accounts ended.
        using var manifestObject = await s3.GetObjectAsync(LocalAws.Bucket, manifestKey, ct);
        using var manifest = await JsonDocument.ParseAsync(manifestObject.ResponseStream, cancellationToken: ct);
        var summary = manifest.RootElement.GetProperty("summary").Deserialize(OrchestrationJsonContext.Default.ExportSummary);
        Assert.IsNotNull(summary);
        Assert.AreEqual(ExportState.CompleteWithFailures, summary.State);
        var expectedTotal = new[] { AccountA, AccountB }.Sum(a => EnabledRegions.Sum(r => (long)emulator.FindingIds(a, r).Count));
        Assert.AreEqual(expectedTotal, summary.Totals.Findings);
        Assert.AreEqual(4, summary.Totals.RegionsComplete);
        Assert.AreEqual(2, summary.Totals.RegionsNotEnabled);
        Assert.AreEqual(3, summary.Totals.RegionsFailed);
        Assert.AreEqual(1, summary.Totals.AccountsLaunchFailed);
        Assert.AreEqual(3, summary.FailuresByKind[FailureKinds.LaunchFailed]);
        var manifestRegions = manifest.RootElement.GetProperty("regions").EnumerateArray().Select(r => r.Deserialize(OrchestrationJsonContext.Default.RegionRecord)!).ToList();
        Assert.HasCount(9, manifestRegions);
        foreach (var region in manifestRegions.Where(r => r.Status == RegionExportStatus.Complete))
        {
            Assert.AreEqual(emulator.FindingIds(region.AccountId, region.Region).Count, region.Findings, $"manifest {region.AccountId} {region.Region}");
        }

        Assert.IsTrue(manifestRegions.Where(r => r.AccountId == Unreachable).All(r => r.Status == RegionExportStatus.Failed));
        var tally = manifest.RootElement.GetProperty("accountTally").Deserialize(OrchestrationJsonContext.Default.AccountTally);
        Assert.AreEqual(new AccountTally(2, 1, 0), tally);

        // The emails: one completion, readable at a glance; the unreachable account's failures were mailed as they happened.
        var completions = outbox.Messages.Where(m => m.Subject.Contains(launch.ExportId, StringComparison.Ordinal) && m.Subject.Contains(" finished: ", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, completions, string.Join(" | ", outbox.Messages.Select(m => m.Subject)));
        var body = completions[0].Body;
        Assert.Contains($"Findings exported:  {expectedTotal.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}", body);
        Assert.Contains("Account-Regions:    4 complete, 3 failed, 2 not enabled (of 9)", body);
        Assert.Contains($"s3://{LocalAws.Bucket}/{manifestKey}", body);
        Assert.Contains($"--accounts {Unreachable}", body);
        Assert.IsTrue(outbox.Messages.Any(m => m.Subject.EndsWith($"of account {Unreachable} failed", StringComparison.Ordinal) && m.Body.Contains("sts:AssumeRole", StringComparison.Ordinal)));

        // The exporter really was chained, and only finished complete Regions became queryable.
        Assert.IsGreaterThan(6, invocations, "6 Regions took more than one invocation each in total");
        CollectionAssert.AreEquivalent(new[] { $"{AccountA}/us-east-1", $"{AccountA}/eu-west-1", $"{AccountB}/us-east-1", $"{AccountB}/eu-west-1" }, partitions.Registered.Select(p => $"{p.AccountId}/{p.Region}").ToArray());
        Assert.AreEqual(1, responses.Count(r => r.Contains("\"completedExport\":true", StringComparison.Ordinal)), "exactly one result completes the export");
        Assert.Contains("\"outcome\":\"already-terminal\"", repeated);
    }

    /// <summary>Wraps the Region result in the EventBridge envelope the central rule delivers and invokes the Coordinator Lambda's handler.</summary>
    private static async Task<string> SendToCoordinatorAsync(CoordinatorFunction function, string account, RegionExportEvent detail)
    {
        var envelope = new RegionResultEnvelope(Guid.NewGuid().ToString(), FanoutNames.EventSource, FanoutNames.RegionResultDetailType, account, DateTimeOffset.UtcNow, JsonSerializer.SerializeToElement(detail, OrchestrationJsonContext.Default.RegionExportEvent));
        using var request = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(envelope, OrchestrationJsonContext.Default.RegionResultEnvelope));
        await using var response = await function.HandleAsync(request);
        using var reader = new StreamReader(response, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
