using Amazon.CDK.AWS.Lambda;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>The Lambda runtime and architecture every SecHubFanout function uses.</summary>
public static class LambdaRuntimes
{
    /// <summary>Managed .NET 10 (CDK 2.160 predates <c>Runtime.DOTNET_10</c>; dotnet8 is deprecated).</summary>
    public static Runtime DotNet10 { get; } = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    /// <summary>Graviton: cheaper per GB-second, and the packages are published for linux-arm64.</summary>
    public static Architecture Arm64 => Architecture.ARM_64;
}
