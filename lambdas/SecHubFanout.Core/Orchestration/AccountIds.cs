namespace SecHubFanout.Core.Orchestration;

/// <summary>Validation of AWS account IDs given by users and events.</summary>
public static class AccountIds
{
    /// <summary>True when <paramref name="value"/> is exactly 12 ASCII digits.</summary>
    public static bool IsValid(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);
}
