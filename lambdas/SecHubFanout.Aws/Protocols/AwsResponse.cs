namespace SecHubFanout.Aws.Protocols;

/// <summary>A successful answer: its body and its headers (names compared case-insensitively).</summary>
/// <param name="Body">The response body.</param>
/// <param name="Headers">The response and content headers; repeated values joined with commas.</param>
public sealed record AwsResponse(byte[] Body, IReadOnlyDictionary<string, string> Headers);
