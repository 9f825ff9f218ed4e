using System.Globalization;
using Amazon.Runtime;
using SecHubFanout.Aws;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Cli.Simulation;

/// <summary>
/// A simulated organization on the in-process emulator: its account IDs and Regions, and its export, one
/// <see cref="AccountExporter"/> per account (each signing with its own account's credentials, so each has its own quotas), all in parallel.
/// </summary>
internal static class SimulatedOrganization
{
    /// <summary>The most findings one GetFindings stream can fetch per second at the documented quota: 3 requests/s x 100 findings.</summary>
    public static double FindingsPerSecondPerStream { get; } = new QuotaOptions().RequestsPerSecond * FindingsQuery.MaxPageSize;

    /// <summary>The Regions a simulated organization uses, in order.</summary>
    public static IReadOnlyList<string> RegionNames { get; } =
        ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1", "ap-northeast-1", "ca-central-1", "sa-east-1"];

    /// <summary>The first <paramref name="count"/> simulated member accounts: 111111111101, 111111111102, ...</summary>
    public static IReadOnlyList<string> AccountIds(int count) =>
        [.. Enumerable.Range(1, count).Select(i => (111_111_111_100L + i).ToString(CultureInfo.InvariantCulture))];

    /// <summary>
    /// Exports every account's <paramref name="regions"/> from the emulator at <paramref name="endpoint"/> into <paramref name="sink"/>,
    /// all accounts at once; returns the accounts' results in the order of <paramref name="accounts"/>.
    /// </summary>
    public static Task<AccountResult[]> ExportAsync(
        Uri endpoint,
        IReadOnlyList<string> accounts,
        IReadOnlyList<string> regions,
        string exportId,
        IPartSink sink,
        IPartFormat format,
        ExportOptions options,
        Func<string, ExportCallbacks?> callbacksFor,
        TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        ExportAsync(endpoint, accounts, regions, exportId, sink, format, options, callbacksFor, timeProvider, FindingFilters.None, cancellationToken);

    /// <summary>The same, paging with <paramref name="filters"/> (and so with their API: GetFindingsV2 for V2 filters).</summary>
    public static async Task<AccountResult[]> ExportAsync(
        Uri endpoint,
        IReadOnlyList<string> accounts,
        IReadOnlyList<string> regions,
        string exportId,
        IPartSink sink,
        IPartFormat format,
        ExportOptions options,
        Func<string, ExportCallbacks?> callbacksFor,
        TimeProvider timeProvider,
        FindingFilters filters,
        CancellationToken cancellationToken)
    {
        var byAccount = new AccountResult[accounts.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, accounts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = accounts.Count, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var account = accounts[i];

                // The emulator's convention: access key = account ID, so each account is paced by its own quotas.
                using var clients = AwsClients.Create(new AwsClientOptions
                {
                    Credentials = new BasicAWSCredentials(account, "test"),
                    EndpointUrl = endpoint,
                    Region = regions[0],
                    AccountId = account,
                    TimeProvider = timeProvider,
                });
                var exporter = new AccountExporter(clients.CreateFindingSource(), sink, format, options, timeProvider);
                byAccount[i] = await exporter.ExportAsync(
                    new ExportRequest { ExportId = exportId, AccountId = account, Filters = filters },
                    regions,
                    resume: null,
                    callbacksFor(account),
                    ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return byAccount;
    }
}
