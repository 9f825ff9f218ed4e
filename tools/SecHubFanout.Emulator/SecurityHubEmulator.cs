using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecHubFanout.Emulator.Hosting;

namespace SecHubFanout.Emulator;

/// <summary>
/// A local AWS Security Hub on 127.0.0.1: GetFindings and BatchImportFindings (rest-json) with the documented quotas, plus STS
/// GetCallerIdentity and EC2 DescribeRegions, behind verified SigV4 signatures. Accounts follow the LocalStack convention: the
/// access key ID is the 12-digit account ("test" = 000000000000), the secret key is "test"; the Region comes from the credential scope.
/// </summary>
public sealed class SecurityHubEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private SecurityHubEmulator(WebApplication app, EmulatorState state, Uri endpoint)
    {
        _app = app;
        _state = state;
        Endpoint = endpoint;
    }

    /// <summary>Where the emulator listens, e.g. http://127.0.0.1:4566; use it as AWS_ENDPOINT_URL.</summary>
    public Uri Endpoint { get; }

    /// <summary>Requests, throttles, pages, findings served, faults and drops per (account, Region), and their totals.</summary>
    public EmulatorCounters Counters => _state.Counters;

    /// <summary>The options the emulator runs with.</summary>
    public EmulatorOptions Options => _state.Options;

    /// <summary>Starts listening; throws ArgumentException listing every problem when the options are invalid.</summary>
    public static async Task<SecurityHubEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid emulator options: " + string.Join(" ", errors), nameof(options));
        }

        var state = new EmulatorState(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = EmulatorRequestHandler.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var handler = new EmulatorRequestHandler(state);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new SecurityHubEmulator(app, state, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Every finding Id stored in one account and Region (generated and imported); empty for a Region where Security Hub is disabled.</summary>
    public IReadOnlySet<string> FindingIds(string accountId, string region)
    {
        if (!_state.Accounts.Contains(accountId))
        {
            throw new ArgumentException($"Account {accountId} is not one of the emulator's accounts ({string.Join(", ", _state.Options.Accounts)}).", nameof(accountId));
        }

        if (!_state.AllRegions.Contains(region))
        {
            throw new ArgumentException($"Region {region} is not one of the emulator's Regions ({string.Join(", ", _state.AllRegions)}).", nameof(region));
        }

        return _state.Stores.TryGetValue((accountId, region), out var store) ? store.Ids() : new HashSet<string>();
    }

    /// <summary>Every <c>finding_info.uid</c> GetFindingsV2 serves in one account and Region (the generated findings as OCSF).</summary>
    public IReadOnlySet<string> OcsfFindingIds(string accountId, string region)
    {
        _ = FindingIds(accountId, region);
        return _state.Stores.TryGetValue((accountId, region), out var store) ? store.OcsfIds() : new HashSet<string>();
    }

    /// <summary>
    /// Every finding of one account and Region as GetFindings serves it (the exact bytes), by Id: the emulator's current state.
    /// Writes still held back by <see cref="HoldIndexing"/> are not in it yet.
    /// </summary>
    public IReadOnlyDictionary<string, string> Findings(string accountId, string region)
    {
        _ = FindingIds(accountId, region);
        return _state.Stores.TryGetValue((accountId, region), out var store) ? store.Snapshot() : new Dictionary<string, string>();
    }

    /// <summary>
    /// Simulates Security Hub's eventual consistency: until the returned hold is disposed, BatchImportFindings accepts findings
    /// (new ones, and new versions of existing ones) but GetFindings does not see them, whatever their UpdatedAt; queries keep
    /// answering with the previous version. Disposing it makes every held write searchable at once, in the order written.
    /// </summary>
    public IDisposable HoldIndexing() => _state.HoldIndexing();

    /// <summary>Stops listening and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
