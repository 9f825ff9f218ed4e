namespace SecHubFanout.Core.Orchestration;

/// <summary>The one rule for AWS account IDs, wherever one comes from (users, events, key segments, the emulator).</summary>
public static class AccountIds
{
    /// <summary>True when <paramref name="value"/> is exactly 12 ASCII digits.</summary>
    public static bool IsValid(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);

    /// <summary>Returns <paramref name="value"/> as an account ID when <see cref="IsValid"/>, else false.</summary>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? accountId)
    {
        accountId = IsValid(value) ? value : null;
        return accountId is not null;
    }

    /// <summary>What is wrong with <paramref name="value"/>, in words every host can prefix with its own name for the input.</summary>
    public static string Problem(string? value) => $"'{value}' is not a 12-digit AWS account ID";
}
