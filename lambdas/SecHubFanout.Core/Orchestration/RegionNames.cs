namespace SecHubFanout.Core.Orchestration;

/// <summary>Validation of Region names given by users.</summary>
public static class RegionNames
{
    /// <summary>True for names shaped like AWS Regions (lowercase letters, digits and dashes, for example us-gov-west-1).</summary>
    public static bool IsValid(string? value) =>
        value is { Length: >= 9 and <= 25 }
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && value.Contains('-', StringComparison.Ordinal)
        && char.IsAsciiDigit(value[^1]);
}
