using Amazon.CDK;

namespace SecHubFanout.Cdk.Stacks;

/// <summary>Properties of the central stack: the usual stack properties plus the packages it deploys.</summary>
public sealed class CentralStackProps : StackProps
{
    /// <summary>The Lambda packages and member template, as produced by the build.</summary>
    public required ArtifactPaths Artifacts { get; init; }

    /// <summary>Athena named queries to create (name to SQL); empty by default.</summary>
    public IReadOnlyDictionary<string, string> NamedQueries { get; init; } = new Dictionary<string, string>();
}
