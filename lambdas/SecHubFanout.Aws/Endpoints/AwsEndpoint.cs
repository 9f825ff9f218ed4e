namespace SecHubFanout.Aws.Endpoints;

/// <summary>Where to send a call and which Region to sign it for.</summary>
/// <param name="Url">The base URL of the service (requests append their path to it).</param>
/// <param name="SigningRegion">The Region of the SigV4 credential scope.</param>
/// <param name="IsCustom">True when the URL came from <c>--endpoint-url</c> or an <c>AWS_ENDPOINT_URL*</c> variable rather than the AWS default.</param>
public sealed record AwsEndpoint(Uri Url, string SigningRegion, bool IsCustom);
