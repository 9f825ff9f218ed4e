namespace SecHubFanout.Core.Findings;

/// <summary>One GetFindings (or GetFindingsV2) call: the Region, the query body without NextToken, and the token of the page to fetch.</summary>
/// <param name="Region">The Region to ask (it travels in the SigV4 credential scope).</param>
/// <param name="Query">
/// The UTF-8 JSON object sent as the request body (<c>Filters</c>, <c>SortCriteria</c>, <c>MaxResults</c>), built once per page
/// chain and sent byte-identical on every page; the source adds <c>NextToken</c> to it.
/// </param>
/// <param name="NextToken">The token from the previous page, or null for the first page.</param>
public sealed record FindingsRequest(string Region, ReadOnlyMemory<byte> Query, string? NextToken)
{
    /// <summary>The API the query is written for, which decides the operation called. Default <see cref="Queries.FindingsApi.V1"/> (GetFindings).</summary>
    public Queries.FindingsApi Api { get; init; }
}
