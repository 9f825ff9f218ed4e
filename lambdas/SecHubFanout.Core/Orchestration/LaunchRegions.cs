namespace SecHubFanout.Core.Orchestration;

/// <summary>Names the launcher uses in place of Regions.</summary>
public static class LaunchRegions
{
    /// <summary>
    /// The Region item of an account whose Regions could not even be listed (its trigger role could not be assumed): it stands for
    /// all of them, so the account's failure is counted, listed and mailed like any other.
    /// </summary>
    public const string All = "*";
}
