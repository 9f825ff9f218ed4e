using Amazon.Runtime;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Queries;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Bench;

/// <summary>
/// Measures what the in-process emulator costs per finding served, so the exporter's own share of the process CPU can be told
/// apart: a separate emulator with the quota off serves the same first page again and again to a client that signs each call
/// and only receives the bytes into a pooled buffer, as the exporter's source does (no parsing, no encoding). The figure is an upper bound of the emulator's cost: it also holds
/// the client's signing and socket reads, and leaves out the emulator's one-off scan and sort per window query.
/// </summary>
internal static class EmulatorCalibration
{
    private const int PageSize = 100;
    private const int WarmUpPages = 20;
    private const int Workers = 2;

    /// <summary>Serves <paramref name="pages"/> pages of 100 findings and returns the process CPU time per finding served.</summary>
    public static async Task<TimeSpan> MeasureCpuPerFindingAsync(string account, string region, int pages, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        await MeasureCpuPerFindingAsync(account, region, pages, FindingsApi.V1, timeProvider, cancellationToken).ConfigureAwait(false);

    /// <summary>The same, serving pages of <paramref name="api"/> (GetFindingsV2 renders OCSF documents).</summary>
    public static async Task<TimeSpan> MeasureCpuPerFindingAsync(string account, string region, int pages, FindingsApi api, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var emulator = await SecurityHubEmulator.StartAsync(
            new EmulatorOptions
            {
                Accounts = [account],
                Regions = [region],
                FindingsPerRegion = 10 * PageSize,
                GetFindingsRate = 1_000_000,
                GetFindingsBurst = 1_000_000,
                TimeProvider = timeProvider,
            },
            cancellationToken).ConfigureAwait(false);
        using var clients = AwsClients.Create(new AwsClientOptions
        {
            Credentials = new BasicAWSCredentials(account, "test"),
            EndpointUrl = emulator.Endpoint,
            Region = region,
            AccountId = account,
            TimeProvider = timeProvider,
        });
        var everything = new UpdatedAtWindow(0, ExportPlan.Epoch, timeProvider.GetUtcNow().AddDays(1));
        var query = FindingsQuery.Build(FindingFilters.NoneFor(api), everything, PageSize);
        var context = new AwsCallContext(AwsService.SecurityHub, region, api.Operation()) { AccountId = account };

        async Task ServeAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                // Received the way the exporter's source receives a page (a pooled body), so the bound holds no extra copy.
                using var body = await clients.RestJson.SendPooledAsync(context, HttpMethod.Post, api.Path(), query, cancellationToken).ConfigureAwait(false);
            }
        }

        await ServeAsync(WarmUpPages).ConfigureAwait(false);
        var served = emulator.Counters.Totals.FindingsServed;
        var before = ProcessMeter.CpuTime();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => ServeAsync(pages / Workers), cancellationToken))).ConfigureAwait(false);
        var cpu = ProcessMeter.CpuTime() - before;
        served = emulator.Counters.Totals.FindingsServed - served;
        return served > 0 ? cpu / served : TimeSpan.Zero;
    }
}
