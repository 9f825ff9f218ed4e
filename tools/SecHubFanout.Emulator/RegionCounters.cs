namespace SecHubFanout.Emulator;

/// <summary>Counts of one account and Region: Security Hub requests received, answered 429, GetFindings pages served, findings in those pages, injected 500s, dropped connections, findings imported.</summary>
public sealed record RegionCounters(
    string AccountId,
    string Region,
    long Requests,
    long Throttles,
    long Pages,
    long FindingsServed,
    long Faults,
    long Drops,
    long FindingsImported);
