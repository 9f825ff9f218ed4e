using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Findings;

namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>
/// An in-memory GetFindings that behaves like Security Hub where the engine depends on it: honours the inclusive UpdatedAt window and
/// EQUALS string filters, sorts by UpdatedAt, pages with tokens bound to the exact query bytes, and can throttle, fail, expire
/// tokens or be not enabled on demand.
/// </summary>
internal sealed class FakeFindingSource : IFindingSource
{
    private readonly ConcurrentDictionary<string, List<FakeFinding>> _findingsByRegion = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _queriesByWindow = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _calls;
    private int _tokenGeneration;
    private int _inFlight;
    private int _maxInFlight;

    public FakeFindingSource(string region, IEnumerable<FakeFinding> findings)
    {
        Add(region, findings);
    }

    /// <summary>Regions where Security Hub is "not enabled".</summary>
    public HashSet<string> NotEnabledRegions { get; } = new(StringComparer.Ordinal);

    /// <summary>Called before each call is served with the call's number (1-based); may throw a failure or change the source.</summary>
    public Action<FindingsRequest, int>? BeforeServe { get; set; }

    /// <summary>Real latency per call, for concurrency tests.</summary>
    public TimeSpan Latency { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The distinct query bodies seen per window (keyed by the window's UpdatedAt range).</summary>
    public IReadOnlyDictionary<string, ConcurrentDictionary<string, byte>> QueriesByWindow => _queriesByWindow;

    public void Add(string region, IEnumerable<FakeFinding> findings)
    {
        lock (_lock)
        {
            _findingsByRegion.GetOrAdd(region, _ => []).AddRange(findings);
        }
    }

    public void Remove(string region, Func<FakeFinding, bool> predicate)
    {
        lock (_lock)
        {
            _findingsByRegion[region].RemoveAll(f => predicate(f));
        }
    }

    /// <summary>Makes every token issued so far invalid, as an expired token would be.</summary>
    public void ExpireTokens() => Interlocked.Increment(ref _tokenGeneration);

    public static ServiceCallException Throttle() => new(ServiceErrorKind.Throttled, "Rate exceeded", "TooManyRequestsException", 429);

    public static ServiceCallException ServerError() => new(ServiceErrorKind.Transient, "Internal error", "InternalException", 500);

    public async Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            UpdateMax(inFlight);
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }

            BeforeServe?.Invoke(request, call);
            if (NotEnabledRegions.Contains(request.Region))
            {
                throw new ServiceCallException(ServiceErrorKind.NotEnabled, "Account is not subscribed to AWS Security Hub", "InvalidAccessException", 401);
            }

            return Serve(request);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private FindingPage Serve(FindingsRequest request)
    {
        using var query = JsonDocument.Parse(request.Query);
        var root = query.RootElement;
        var filters = root.GetProperty("Filters");
        if (!filters.TryGetProperty("UpdatedAt", out var updatedAt) || updatedAt.GetArrayLength() != 1
            || !updatedAt[0].TryGetProperty("Start", out var startText) || !updatedAt[0].TryGetProperty("End", out var endText))
        {
            throw new ServiceCallException(ServiceErrorKind.InvalidInput, "The engine must send one UpdatedAt filter with Start and End.", "InvalidInputException", 400);
        }

        var sort = root.GetProperty("SortCriteria")[0];
        if (sort.GetProperty("Field").GetString() != "UpdatedAt" || sort.GetProperty("SortOrder").GetString() != "asc")
        {
            throw new ServiceCallException(ServiceErrorKind.InvalidInput, "The engine must sort by UpdatedAt ascending.", "InvalidInputException", 400);
        }

        var start = DateTimeOffset.Parse(startText.GetString()!, CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(endText.GetString()!, CultureInfo.InvariantCulture);
        var pageSize = root.GetProperty("MaxResults").GetInt32();
        var queryHash = Convert.ToHexString(SHA256.HashData(request.Query.Span));
        _queriesByWindow.GetOrAdd($"{request.Region} {startText.GetString()} {endText.GetString()}", _ => new()).TryAdd(queryHash, 0);

        var offset = 0;
        if (request.NextToken is not null)
        {
            var parts = request.NextToken.Split(':');
            if (int.Parse(parts[0], CultureInfo.InvariantCulture) != Volatile.Read(ref _tokenGeneration))
            {
                throw new ServiceCallException(ServiceErrorKind.InvalidNextToken, "Invalid NextToken: token expired", "InvalidInputException", 400);
            }

            if (parts[1] != queryHash)
            {
                throw new ServiceCallException(ServiceErrorKind.InvalidNextToken, "Invalid NextToken: Input Query has changed", "InvalidInputException", 400);
            }

            offset = int.Parse(parts[2], CultureInfo.InvariantCulture);
        }

        List<FakeFinding> matching;
        lock (_lock)
        {
            matching = _findingsByRegion.GetValueOrDefault(request.Region, [])
                .Where(f => f.UpdatedAt >= start && f.UpdatedAt <= end && MatchesUserFilters(f, filters))
                .OrderBy(f => f.UpdatedAt)
                .ThenBy(f => f.Id, StringComparer.Ordinal)
                .ToList();
        }

        var page = matching.Skip(offset).Take(pageSize).Select(f => (ReadOnlyMemory<byte>)Encode(f, request.Region)).ToList();
        var next = offset + pageSize < matching.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{Volatile.Read(ref _tokenGeneration)}:{queryHash}:{offset + pageSize}")
            : null;
        return new FindingPage(page, next);
    }

    private static bool MatchesUserFilters(FakeFinding finding, JsonElement filters)
    {
        foreach (var field in filters.EnumerateObject())
        {
            if (field.Name == "UpdatedAt")
            {
                continue;
            }

            var value = field.Name switch
            {
                "RecordState" => finding.RecordState,
                "Id" => finding.Id,
                _ => throw new ServiceCallException(ServiceErrorKind.InvalidInput, $"Unsupported filter {field.Name}", "InvalidInputException", 400),
            };
            if (!field.Value.EnumerateArray().Any(c => c.GetProperty("Comparison").GetString() == "EQUALS" && c.GetProperty("Value").GetString() == value))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Encode(FakeFinding finding, string region) => Encoding.UTF8.GetBytes(
        $"{{\"Id\":\"{finding.Id}\",\"UpdatedAt\":\"{finding.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\",\"RecordState\":\"{finding.RecordState}\",\"Region\":\"{region}\"}}");

    private void UpdateMax(int inFlight)
    {
        int seen;
        while (inFlight > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }
    }
}
