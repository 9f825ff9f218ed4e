using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Emulator.Local;

namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>
/// <c>sechub-fanout bench org</c>: the real launcher, coordinator (through its Lambda entry point, with the trust boundary), ledger
/// (DynamoDB protocol, dynalite) and reconciler run one organization-wide export against <see cref="SimulatedOrganization"/>: the
/// launcher in invocations of a fixed budget handed on by continuation, results delivered in random order by parallel consumers while
/// accounts are still being launched, reconciler passes every few seconds (each lets a minute pass), then a day later a last pass.
/// It reports what the control plane cost and whether it ended right: nothing pending, nothing forged accepted, one completion email.
/// </summary>
internal sealed class OrgBenchRun(OrgBenchSettings settings, TextWriter output)
{
    private const string Table = "sechub-fanout-bench-ledger";
    private const int Consumers = 16;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        var wall = Stopwatch.StartNew();
        await using var dynalite = settings.DynamoDbEndpoint is null ? await DynaliteProcess.StartAsync(cancellationToken).ConfigureAwait(false) : null;
        var endpoint = settings.DynamoDbEndpoint ?? dynalite!.Endpoint;
        using var dynamo = new AmazonDynamoDBClient(
            new BasicAWSCredentials("bench", "bench"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 10 });
        var table = Table + "-" + Guid.NewGuid().ToString("N")[..8];
        await LocalLedgerTable.CreateAsync(dynamo, table, cancellationToken).ConfigureAwait(false);
        var ledger = new DynamoDbLedger(dynamo, table);

        var clock = new ShiftedClock();
        var notifier = new CountingNotifier();
        var manifests = new CountingManifestStore();
        var coordinator = new ExportCoordinator(ledger, notifier, manifests, new NoPartitions(), new CoordinatorOptions { FindingsBucket = "bench-findings" }, clock);
        var refusals = new CountingRefusals();
        var gate = new BusEventGate(coordinator, refusals);
        var reconciler = new ExportReconciler(ledger, coordinator, new ReconcilerOptions(), clock);
        var bus = new BusQueue(settings.Seed);
        var members = new SimulatedOrganization(settings, bus);
        var continuation = new QueuedContinuation();
        var launcher = new ExportLauncher(ledger, members, members, coordinator, new LauncherOptions { MaxConcurrency = 20 }, clock, continuation);
        try
        {
            output.WriteLine($"Organization benchmark: {settings.Accounts:N0} accounts x {settings.Regions} Regions, member calls {settings.LatencyMs} ms, launcher invocations of {settings.LauncherBudgetSeconds} s, ledger on {endpoint}");
            var launching = true;
            long delivered = 0, forgedAccepted = 0;
            var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var consumers = Enumerable.Range(0, Consumers).Select(_ => Task.Run(
                async () =>
                {
                    while (true)
                    {
                        if (!bus.TryTake(out var envelope, out var forged))
                        {
                            if (!Volatile.Read(ref launching))
                            {
                                return;
                            }

                            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        var outcome = (await gate.HandleAsync(envelope, cancellationToken).ConfigureAwait(false)).Outcome;
                        outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                        Interlocked.Increment(ref delivered);
                        if (forged && outcome != BusEventOutcome.RefusedOutcome)
                        {
                            Interlocked.Increment(ref forgedAccepted);
                        }
                    }
                },
                cancellationToken)).ToList();

            using var passes = new CancellationTokenSource();
            var reconcilerPasses = 0;
            var reconciling = Task.Run(
                async () =>
                {
                    while (!passes.IsCancellationRequested)
                    {
                        try
                        {
                            await Task.Delay(TimeSpan.FromSeconds(5), passes.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }

                        // Once launched, a minute per pass: digests (at most every 5 minutes) come every few passes. While launching, time
                        // runs as it does, so the launcher's invocation budget is real seconds.
                        if (!Volatile.Read(ref launching))
                        {
                            clock.Advance(TimeSpan.FromMinutes(1));
                        }
                        await reconciler.RunAsync(cancellationToken).ConfigureAwait(false);
                        Interlocked.Increment(ref reconcilerPasses);
                    }
                },
                cancellationToken);

            // The launcher as Lambda runs it: each invocation stops taking accounts when its budget is spent and hands the rest on.
            var launch = Stopwatch.StartNew();
            var request = new LaunchRequest();
            var invocations = 0;
            string? exportId = null;
            while (request is not null)
            {
                invocations++;
                var result = await launcher.StartAsync(request, cancellationToken, clock.GetUtcNow() + TimeSpan.FromSeconds(settings.LauncherBudgetSeconds)).ConfigureAwait(false);
                exportId = result.ExportId;
                request = continuation.Take();
            }

            var launchSeconds = launch.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Launched in {launchSeconds:0.0} s over {invocations} launcher invocation(s); delivering results..."));
            Volatile.Write(ref launching, false);
            await Task.WhenAll(consumers).ConfigureAwait(false);
            await passes.CancelAsync().ConfigureAwait(false);
            await reconciling.ConfigureAwait(false);

            // A day later: executions that died without a word are past the deadline.
            clock.Advance(TimeSpan.FromHours(26));
            var finalPass = await reconciler.RunAsync(cancellationToken).ConfigureAwait(false);
            await reconciler.RunAsync(cancellationToken).ConfigureAwait(false);
            reconcilerPasses += 2;
            output.WriteLine($"Final reconciler pass: {finalPass.RegionsSilenced:N0} silent account-Regions failed, {finalPass.Completed} export(s) completed.");

            var export = await ledger.GetExportAsync(exportId!, cancellationToken).ConfigureAwait(false);
            var counters = await ledger.GetCountersAsync(export!, cancellationToken).ConfigureAwait(false);
            var (items, maxShare) = await PartitionsAsync(dynamo, table, cancellationToken).ConfigureAwait(false);
            var report = new OrgBenchReport
            {
                Accounts = settings.Accounts,
                Regions = settings.Regions,
                LaunchSeconds = Math.Round(launchSeconds, 1),
                LauncherInvocations = invocations,
                ResultsDelivered = delivered,
                LedgerItemsReadPerResult = Math.Round((double)ledger.Usage.ItemsRead / Math.Max(1, delivered), 2),
                LedgerItemsWrittenPerResult = Math.Round((double)ledger.Usage.ItemsWritten / Math.Max(1, delivered), 2),
                LedgerItems = items,
                MaxPartitionShare = Math.Round(maxShare, 4),
                ForgedEvents = members.Forged,
                ForgedAccepted = forgedAccepted,
                Duplicates = members.Duplicates,
                DeadExecutions = members.Dead,
                RegionsFailed = counters.Failed,
                FailuresByKind = counters.FailedByKind,
                PendingAtEnd = counters.Pending + (export!.LaunchedAt is null ? 1 : 0),
                CompletionEmails = notifier.Completions,
                FailureEmails = notifier.Failures,
                ReconcilerPasses = reconcilerPasses,
                ManifestBytes = manifests.Bytes,
                FindingsInLedger = counters.Findings,
                FindingsSent = members.FindingsSent,
                DurationSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
            };
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Results: {delivered:N0} events delivered ({string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value:N0} {o.Key}"))})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ledger: {report.LedgerItemsReadPerResult} items read and {report.LedgerItemsWrittenPerResult} written per result; {items:N0} items, at most {report.MaxPartitionShare:P1} on one partition key"));
            output.WriteLine($"Refused: {string.Join(", ", refusals.Reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"))}");
            output.WriteLine($"Forged: {report.ForgedEvents} sent, {report.ForgedAccepted} accepted. Pending at the end: {report.PendingAtEnd}. Emails: {report.CompletionEmails} completion, {report.FailureEmails} about failures (of {report.RegionsFailed:N0} failed account-Regions).");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Findings: {report.FindingsSent:N0} reported by members, {report.FindingsInLedger:N0} in the ledger. Took {report.DurationSeconds:0.0} s."));
            if (settings.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(report, OrgBenchJsonContext.Default.OrgBenchReport));
            }

            var right = report.ForgedAccepted == 0 && report.PendingAtEnd == 0 && report.CompletionEmails == 1 && report.FindingsInLedger == report.FindingsSent;
            return right ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            try
            {
                await dynamo.DeleteTableAsync(table, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonServiceException)
            {
                // The table lives in a throwaway dynalite, or the caller's endpoint: best effort.
            }
        }
    }

    // Measured, not computed: every item of the table grouped by its partition key.
    private static async Task<(long Items, double MaxShare)> PartitionsAsync(IAmazonDynamoDB dynamo, string table, CancellationToken cancellationToken)
    {
        var perKey = new Dictionary<string, long>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = table, ProjectionExpression = "pk", ExclusiveStartKey = start }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                perKey[item["pk"].S] = perKey.GetValueOrDefault(item["pk"].S) + 1;
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        var total = perKey.Values.Sum();
        return (total, total == 0 ? 0 : (double)perKey.Values.Max() / total);
    }

    private sealed class CountingRefusals : IRefusalLog
    {
        private readonly ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, int> Reasons => _reasons;

        public void Refused(string reason, RegionResultEnvelope? envelope, string why) => _reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    private sealed class CountingNotifier : INotifier
    {
        private int _completions;
        private int _failures;

        public int Completions => Volatile.Read(ref _completions);

        public int Failures => Volatile.Read(ref _failures);

        public Task PublishAsync(string subject, string body, CancellationToken cancellationToken)
        {
            if (subject.Contains(" complete: ", StringComparison.Ordinal) || subject.Contains(" finished: ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _completions);
            }
            else
            {
                Interlocked.Increment(ref _failures);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class CountingManifestStore : IManifestStore
    {
        public long Bytes { get; private set; }

        public async Task<string> WriteAsync(string exportId, Stream manifestJson, CancellationToken cancellationToken)
        {
            // Parsed, not only counted: a manifest that is not one JSON document would fail the run here.
            using var document = await JsonDocument.ParseAsync(manifestJson, cancellationToken: cancellationToken).ConfigureAwait(false);
            Bytes = manifestJson.Position;
            return $"s3://bench-findings/manifests/{exportId}.json";
        }
    }

    private sealed class NoPartitions : IPartitionRegistrar
    {
        public Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset until, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class QueuedContinuation : ILaunchContinuation
    {
        private LaunchRequest? _next;

        public Task ContinueAsync(LaunchRequest request, CancellationToken cancellationToken)
        {
            _next = request;
            return Task.CompletedTask;
        }

        public LaunchRequest? Take() => Interlocked.Exchange(ref _next, null);
    }
}
