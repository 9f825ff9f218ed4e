using System.Text.Json;
using System.Threading.RateLimiting;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Cli.Bench.Organization;

/// <summary>
/// Member accounts as the launcher and the coordinator meet them, simulated: AssumeRole, DescribeRegions and StartExecution answer
/// after a latency, AssumeRole under STS's documented quota for the caller's account (600 requests/s: beyond it, a throttling error),
/// and each started execution puts its Region results on the bus (<see cref="BusQueue"/>) the way a member would, with the faults of
/// a large organization: 5% of events delivered twice, 1% forged by another member, 1% of executions dying without a result (half of
/// them announce it with a FAILED status event, half are never heard of), one Region denied by a service control policy in a fifth of
/// the accounts, and Security Hub disabled in some Regions.
/// </summary>
internal sealed class SimulatedOrganization : IExportStarter, IAccountDirectory
{
    private const int StsRequestsPerSecond = 600;

    private readonly OrgBenchSettings _settings;
    private readonly BusQueue _bus;
    private readonly List<string> _accounts;
    private readonly TokenBucketRateLimiter _sts = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = StsRequestsPerSecond,
        TokensPerPeriod = StsRequestsPerSecond / 10,
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private long _stsThrottled;
    private long _findingsSent;
    private long _forged;
    private long _duplicates;
    private int _dead;

    public SimulatedOrganization(OrgBenchSettings settings, BusQueue bus)
    {
        _settings = settings;
        _bus = bus;
        _accounts = Enumerable.Range(0, settings.Accounts).Select(i => (100_000_000_000L + (i * 7_919L)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    public long StsThrottled => Interlocked.Read(ref _stsThrottled);

    public long FindingsSent => Interlocked.Read(ref _findingsSent);

    public long Forged => Interlocked.Read(ref _forged);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public int Dead => Volatile.Read(ref _dead);

    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(_accounts);

    public async Task<IMemberSession> OpenAsync(string accountId, CancellationToken cancellationToken)
    {
        await Task.Delay(_settings.LatencyMs, cancellationToken).ConfigureAwait(false);
        using var lease = _sts.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _stsThrottled);
            throw new InvalidOperationException("Throttling: Rate exceeded (STS AssumeRole, 600 requests per second for the account)");
        }

        return new Session(this, accountId);
    }

    private void Run(MemberExecutionInput input, string executionArn)
    {
        var random = new Random(HashCode.Combine(_settings.Seed, input.AccountId));
        var index = int.Parse(input.AccountId.AsSpan(input.AccountId.Length - 6), System.Globalization.CultureInfo.InvariantCulture);
        if (random.NextDouble() < 0.01)
        {
            Interlocked.Increment(ref _dead);
            if (random.Next(2) == 0)
            {
                var detail = JsonSerializer.SerializeToElement(new Dictionary<string, string>
                {
                    ["executionArn"] = executionArn,
                    ["status"] = "FAILED",
                    ["error"] = "States.Runtime",
                    ["cause"] = "simulated: the execution died",
                    ["input"] = JsonSerializer.Serialize(input, OrchestrationJsonContext.Default.MemberExecutionInput),
                });
                _bus.Add(Envelope(FanoutNames.ExecutionStatusSource, FanoutNames.ExecutionStatusDetailType, input.AccountId, detail), forged: false);
            }

            return;
        }

        var denied = index % 5 == 0;
        foreach (var region in input.Regions)
        {
            RegionExportEvent result;
            if (denied && region == input.Regions[^1])
            {
                result = new RegionExportEvent(input.ExportId, input.AccountId, region, RegionExportStatus.Failed,
                    Error: "GetFindings in " + region + " was denied (AccessDeniedException): explicit deny in a service control policy", Attempt: input.Attempt, FailureKind: FailureKinds.AccessDenied);
            }
            else if (random.NextDouble() < 0.05)
            {
                result = new RegionExportEvent(input.ExportId, input.AccountId, region, RegionExportStatus.NotEnabled, Error: "Security Hub is not enabled", Attempt: input.Attempt);
            }
            else
            {
                var findings = random.Next(100, 5_000);
                Interlocked.Add(ref _findingsSent, findings);
                result = new RegionExportEvent(input.ExportId, input.AccountId, region, RegionExportStatus.Complete, findings, (findings + 99) / 100, 1, findings * 2_000L, 0, 0, findings * 3L, Attempt: input.Attempt);
            }

            var envelope = Envelope(FanoutNames.EventSource, FanoutNames.RegionResultDetailType, input.AccountId, JsonSerializer.SerializeToElement(result, OrchestrationJsonContext.Default.RegionExportEvent));
            _bus.Add(envelope, forged: false);
            if (random.NextDouble() < 0.05)
            {
                Interlocked.Increment(ref _duplicates);
                _bus.Add(envelope, forged: false);
            }

            if (random.NextDouble() < 0.01)
            {
                Interlocked.Increment(ref _forged);
                _bus.Add(Forge(random, input, region), forged: true);
            }
        }
    }

    // A member that lies: about another account (the envelope's account is its own, EventBridge sets it), or about an attempt or
    // export the ledger does not expect.
    private byte[] Forge(Random random, MemberExecutionInput input, string region)
    {
        var victim = _accounts.Count > 1 ? _accounts[random.Next(_accounts.Count)] : "999999999999";
        if (victim == input.AccountId)
        {
            victim = _accounts[(_accounts.IndexOf(victim) + 1) % _accounts.Count];
        }

        var forged = random.Next(3) switch
        {
            0 => new RegionExportEvent(input.ExportId, victim, region, RegionExportStatus.Failed, Error: "forged: <b>click here</b>\r\nSubject: urgent", Attempt: input.Attempt),
            1 => new RegionExportEvent(input.ExportId, input.AccountId, region, RegionExportStatus.Failed, Error: "forged: a future attempt", Attempt: input.Attempt + 7),
            _ => new RegionExportEvent(ExportIds.Create(DateTimeOffset.UnixEpoch), input.AccountId, region, RegionExportStatus.Complete, 1_000_000, Attempt: input.Attempt),
        };
        return Envelope(FanoutNames.EventSource, FanoutNames.RegionResultDetailType, input.AccountId, JsonSerializer.SerializeToElement(forged, OrchestrationJsonContext.Default.RegionExportEvent));
    }

    private static byte[] Envelope(string source, string detailType, string account, JsonElement detail) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new RegionResultEnvelope(Guid.NewGuid().ToString(), source, detailType, account, DateTimeOffset.UtcNow, detail),
            OrchestrationJsonContext.Default.RegionResultEnvelope);

    private sealed class Session(SimulatedOrganization owner, string accountId) : IMemberSession
    {
        public async Task<IReadOnlyList<string>> EnabledRegionsAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(owner._settings.LatencyMs, cancellationToken).ConfigureAwait(false);
            return OrgBenchSettings.RegionNames.Take(owner._settings.Regions).ToList();
        }

        public async Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
        {
            // StartExecution's quota (800, refilling 150/s) is the member account's own: one start per account never reaches it.
            await Task.Delay(owner._settings.LatencyMs, cancellationToken).ConfigureAwait(false);
            var arn = $"arn:aws:states:us-east-1:{accountId}:execution:{FanoutNames.MemberStateMachine}:{execution.ExecutionName}";
            owner.Run(execution.Input, arn);
            return arn;
        }

        public Task StopAsync(string executionArn, string cause, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
