namespace SecHubFanout.TestSupport;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> _root = new(FindRoot);

    /// <summary>The repository root (the folder holding SecHubFanout.sln).</summary>
    public static string Root => _root.Value;

    /// <summary>The folder of the tests' npm tools.</summary>
    public static string ToolsDir => Path.Combine(Root, "tests", "tools");

    /// <summary>The path of a Node.js module's entry script below tests/tools/node_modules.</summary>
    public static string NodeModule(string relativePath) => Path.Combine(ToolsDir, "node_modules", relativePath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecHubFanout.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecHubFanout.sln not found above " + AppContext.BaseDirectory);
    }
}
