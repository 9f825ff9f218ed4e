namespace SecHubFanout.Cdk;

/// <summary>Where the build put what the central stack deploys (see the PublishLambdaPackages target in the csproj).</summary>
/// <param name="CoordinatorDirectory">The published SecHubFanout.Coordinator (launcher and coordinator handlers).</param>
/// <param name="ExporterZip">The zipped published SecHubFanout.Exporter, shipped to the artifact bucket for member accounts.</param>
/// <param name="MemberTemplate">The checked-in member exporter template the StackSet deploys.</param>
public sealed record ArtifactPaths(string CoordinatorDirectory, string ExporterZip, string MemberTemplate)
{
    /// <summary>The paths inside a repository checkout.</summary>
    public static ArtifactPaths FromRepository(string root) => new(
        Path.Combine(root, "artifacts", "lambda", "coordinator"),
        Path.Combine(root, "artifacts", "lambda", "exporter.zip"),
        Path.Combine(root, Cdk.MemberTemplate.RelativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Fails with a fix when the build has not produced a package yet.</summary>
    public void EnsureExist()
    {
        if (!Directory.Exists(CoordinatorDirectory) || !File.Exists(ExporterZip))
        {
            throw new InvalidOperationException(
                $"Lambda packages missing ({CoordinatorDirectory}, {ExporterZip}): run `dotnet build cdk/SecHubFanout.Cdk` first, it publishes them.");
        }

        if (!File.Exists(MemberTemplate))
        {
            throw new InvalidOperationException(
                $"{MemberTemplate} missing: run `dotnet run --project cdk/SecHubFanout.Cdk -- member-template {Cdk.MemberTemplate.RelativePath}`.");
        }
    }

    /// <summary>Finds the repository root (the folder with SecHubFanout.sln) above the working directory or the app's folder.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SecHubFanout.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("SecHubFanout.sln not found above " + Environment.CurrentDirectory + ": run the CDK app from the repository.");
    }
}
