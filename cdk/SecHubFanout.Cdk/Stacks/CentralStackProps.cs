using Amazon.CDK;

namespace SecHubFanout.Cdk.Stacks;

/// <summary>Properties of the central stack: the usual stack properties plus the packages it deploys.</summary>
public sealed class CentralStackProps : StackProps
{
    /// <summary>The Lambda packages and member template, as produced by the build.</summary>
    public required ArtifactPaths Artifacts { get; init; }
}
