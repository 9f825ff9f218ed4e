using System.CommandLine;

namespace SecHubFanout.Cli.Analytics;

/// <summary>Options shared by <c>query</c> and <c>report</c>.</summary>
internal static class AnalyticsOptions
{
    /// <summary>The default export folder, the one <c>sechub-fanout demo</c> and <c>export</c> write.</summary>
    public const string DefaultInput = "sechub-export";

    public static Option<DirectoryInfo> Input() => new("--in")
    {
        Description = "The export folder (the one holding findings/account_id=...).",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultInput),
    };
}
