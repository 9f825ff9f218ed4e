namespace SecHubFanout.Core.Export;

/// <summary>Live counters of one Region's export.</summary>
/// <param name="Region">The Region.</param>
/// <param name="Findings">Findings fetched so far (stored or in open parts; restarts take theirs back).</param>
/// <param name="Pages">Pages fetched so far.</param>
/// <param name="Parts">Parts stored so far.</param>
/// <param name="Throttles">Throttling answers so far in this run.</param>
/// <param name="Retries">Retried calls so far in this run.</param>
/// <param name="WindowsDone">Windows finished.</param>
/// <param name="Windows">Windows in the plan.</param>
public sealed record RegionProgress(string Region, long Findings, long Pages, int Parts, long Throttles, long Retries, int WindowsDone, int Windows);
