namespace SecHubFanout.Core.Orchestration;

/// <summary>How the launcher starts accounts.</summary>
public sealed record LauncherOptions
{
    /// <summary>Accounts started at the same time. Default 10.</summary>
    public int MaxConcurrency { get; init; } = 10;

    /// <summary>Regions exported when a request names none. Default: none (then the launcher's Region directory decides).</summary>
    public IReadOnlyList<string> DefaultRegions { get; init; } = [];
}
