namespace SecHubFanout.Emulator.Findings;

/// <summary>The string attributes the emulator can filter and sort on (names as in AwsSecurityFindingFilters).</summary>
internal enum FindingField
{
    Id,
    ProductArn,
    ProductName,
    CompanyName,
    GeneratorId,
    AwsAccountId,
    Region,
    SeverityLabel,
    ComplianceStatus,
    ComplianceSecurityControlId,
    WorkflowStatus,
    RecordState,
    Title,
    ResourceType,
    ResourceId,
}

/// <summary>The timestamp attributes the emulator can filter and sort on.</summary>
internal enum DateField
{
    CreatedAt,
    UpdatedAt,
    FirstObservedAt,
    LastObservedAt,
}
