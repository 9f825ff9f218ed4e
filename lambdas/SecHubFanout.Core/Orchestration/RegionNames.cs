namespace SecHubFanout.Core.Orchestration;

/// <summary>The one rule for AWS Region names, wherever one comes from (users, events, key segments, the emulator).</summary>
public static class RegionNames
{
    /// <summary>An example to show in messages.</summary>
    public const string Example = "us-east-1";

    /// <summary>
    /// True for names shaped like AWS Regions: a lowercase partition or area prefix, dash-separated lowercase words or digits,
    /// and a final number (us-east-1, us-gov-west-1, eusc-de-east-1); at most 25 characters.
    /// </summary>
    public static bool IsValid(string? value)
    {
        if (value is not { Length: >= 6 and <= 25 })
        {
            return false;
        }

        var parts = value.Split('-');
        return parts.Length >= 3
            && parts[0].Length >= 2 && parts[0].All(char.IsAsciiLetterLower)
            && parts[1..^1].All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
            && parts[^1].Length > 0 && parts[^1].All(char.IsAsciiDigit);
    }

    /// <summary>Returns <paramref name="value"/> as a Region name when <see cref="IsValid"/>, else false.</summary>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? region)
    {
        region = IsValid(value) ? value : null;
        return region is not null;
    }

    /// <summary>What is wrong with <paramref name="value"/>, in words every host can prefix with its own name for the input.</summary>
    public static string Problem(string? value) => $"'{value}' is not a Region name such as {Example} or eu-central-2";
}
