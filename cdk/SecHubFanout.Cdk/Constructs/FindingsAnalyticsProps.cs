using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>The data the Glue table and Athena workgroup sit on.</summary>
public sealed class FindingsAnalyticsProps
{
    /// <summary>The findings bucket.</summary>
    public required IBucket Bucket { get; init; }

    /// <summary>The key query results are encrypted with.</summary>
    public required IKey Key { get; init; }
}
