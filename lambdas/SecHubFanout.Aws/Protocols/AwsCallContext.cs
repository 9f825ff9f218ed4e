using SecHubFanout.Aws.Endpoints;

namespace SecHubFanout.Aws.Protocols;

/// <summary>Which call this is (service, Region, operation, and the account when known), so that errors can say what failed where.</summary>
/// <param name="Service">The service called.</param>
/// <param name="Region">The Region the call is about (its endpoint and credential scope follow from it).</param>
/// <param name="Operation">The API operation (for example <c>GetFindings</c>); for JSON and query services also the target or action name.</param>
public sealed record AwsCallContext(AwsService Service, string Region, string Operation)
{
    /// <summary>The account whose credentials sign the call, when known (used in messages only).</summary>
    public string? AccountId { get; init; }
}
