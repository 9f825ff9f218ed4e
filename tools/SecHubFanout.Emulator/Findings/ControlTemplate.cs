namespace SecHubFanout.Emulator.Findings;

/// <summary>One kind of synthetic finding: which product raised it, about what, on which resource type.</summary>
internal sealed record ControlTemplate(
    ProductKind Product,
    string ControlId,
    string Title,
    string ResourceType,
    string Severity,
    string Description,
    string RemediationUrl)
{
    /// <summary>The Config rule name Security Hub shows in ProductFields, without its random suffix.</summary>
    public string RuleNamePrefix { get; } = "securityhub-" + ControlId.ToLowerInvariant().Replace('.', '-').Replace(':', '-').Replace('/', '-') + "-";
}

internal enum ProductKind
{
    SecurityHub,
    GuardDuty,
    Inspector,
}
