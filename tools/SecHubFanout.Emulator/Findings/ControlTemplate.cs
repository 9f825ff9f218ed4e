namespace SecHubFanout.Emulator.Findings;

/// <summary>One kind of synthetic finding: which product raised it, about what, on which resource type.</summary>
internal sealed record ControlTemplate(
    ProductKind Product,
    string ControlId,
    string Title,
    string ResourceType,
    string Severity,
    string Description,
    string RemediationUrl);

internal enum ProductKind
{
    SecurityHub,
    GuardDuty,
    Inspector,
}
