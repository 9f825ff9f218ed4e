namespace SecHubFanout.Core.Findings;

/// <summary>One page of findings exactly as the service returned them, plus the token of the next page (null on the last page).</summary>
/// <param name="Findings">Each finding's raw UTF-8 JSON bytes, untouched (slices of the response body).</param>
/// <param name="NextToken">The token of the next page, or null when this was the last one.</param>
public sealed record FindingPage(IReadOnlyList<ReadOnlyMemory<byte>> Findings, string? NextToken);
