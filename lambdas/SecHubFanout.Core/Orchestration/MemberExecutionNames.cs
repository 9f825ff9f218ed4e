using System.Text.RegularExpressions;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// Names of member executions: the launcher names a start after the export (<c>&lt;exportId&gt;</c>, <c>&lt;exportId&gt;-r&lt;n&gt;</c> for the
/// n-th restart), and a Region that outgrows its execution continues in one named <c>&lt;that name&gt;-&lt;region&gt;-c&lt;k&gt;</c>.
/// </summary>
public static partial class MemberExecutionNames
{
    /// <summary>True when <paramref name="name"/> is an execution that the one named <paramref name="rootName"/> handed a Region on to (at any depth).</summary>
    public static bool IsContinuationOf(string name, string rootName)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rootName);
        return name.Length > rootName.Length + 1
            && name.StartsWith(rootName, StringComparison.Ordinal)
            && name[rootName.Length] == '-'
            && ContinuationSuffix().IsMatch(name.AsSpan(rootName.Length + 1));
    }

    // <region>-c<k>, for example eu-west-1-c2 or us-gov-west-1-c1; a restart's own name (r1-...) never matches.
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+-c[0-9]+$")]
    private static partial Regex ContinuationSuffix();
}
