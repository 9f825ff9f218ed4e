namespace SecHubFanout.Aws.Signing;

/// <summary>The outcome of checking a received request's SigV4 signature: who signed it for which Region and service, or why it was refused.</summary>
/// <param name="IsValid">True when the signature matches the request as received.</param>
/// <param name="AccessKeyId">The access key id from the credential scope, when the header could be parsed.</param>
/// <param name="Region">The Region from the credential scope, when the header could be parsed.</param>
/// <param name="Service">The signing name from the credential scope, when the header could be parsed.</param>
/// <param name="Error">Why the request was refused, or null when it is valid.</param>
public sealed record SigV4Verification(bool IsValid, string? AccessKeyId, string? Region, string? Service, string? Error);
