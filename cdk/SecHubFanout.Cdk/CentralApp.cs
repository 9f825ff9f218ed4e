using Amazon.CDK;
using SecHubFanout.Cdk.Stacks;

namespace SecHubFanout.Cdk;

/// <summary>Builds the CDK app's stacks (shared by Program and the tests).</summary>
public static class CentralApp
{
    /// <summary>The central stack's name.</summary>
    public const string CentralStackName = "SecHubFanoutCentral";

    /// <summary>Adds the central stack for an environment (null account/region = environment-agnostic).</summary>
    public static CentralStack AddCentralStack(App app, ArtifactPaths artifacts, Amazon.CDK.Environment? environment) =>
        new(app, CentralStackName, new CentralStackProps
        {
            Env = environment,
            Description = "SecHubFanout central stack: findings bucket and key, StackSet of member exporters, ledger, launcher, coordinator, Athena.",
            Artifacts = artifacts,
        });
}
