namespace SecHubFanout.Core.Formats;

/// <summary>The values of one finding that become columns (see <see cref="Schema.FindingSchema.Columns"/>); null when the finding lacks the field.</summary>
/// <remarks>Filled by <see cref="FindingFieldReader"/>; one instance can be reused for many findings: each read replaces every value, and the
/// lists are refilled in place, so copy a list to keep it past the next read.</remarks>
public sealed class FindingFields
{
    /// <summary><c>Id</c>.</summary>
    public string? Id { get; internal set; }

    /// <summary><c>ProductArn</c>.</summary>
    public string? ProductArn { get; internal set; }

    /// <summary><c>ProductName</c>.</summary>
    public string? ProductName { get; internal set; }

    /// <summary><c>CompanyName</c>.</summary>
    public string? CompanyName { get; internal set; }

    /// <summary><c>GeneratorId</c>.</summary>
    public string? GeneratorId { get; internal set; }

    /// <summary><c>AwsAccountId</c>.</summary>
    public string? AwsAccountId { get; internal set; }

    /// <summary><c>Region</c> (the finding's own Region).</summary>
    public string? Region { get; internal set; }

    /// <summary><c>Title</c>.</summary>
    public string? Title { get; internal set; }

    /// <summary><c>Severity.Label</c>.</summary>
    public string? SeverityLabel { get; internal set; }

    /// <summary><c>Severity.Normalized</c>.</summary>
    public int? SeverityNormalized { get; internal set; }

    /// <summary><c>Compliance.Status</c>.</summary>
    public string? ComplianceStatus { get; internal set; }

    /// <summary><c>Compliance.SecurityControlId</c>.</summary>
    public string? SecurityControlId { get; internal set; }

    /// <summary><c>Workflow.Status</c>.</summary>
    public string? WorkflowStatus { get; internal set; }

    /// <summary><c>RecordState</c>.</summary>
    public string? RecordState { get; internal set; }

    /// <summary><c>Types[]</c>; null when absent, empty when the array is empty.</summary>
    public IReadOnlyList<string?>? Types => _hasTypes ? _types : null;

    /// <summary><c>Resources[].Type</c>, aligned with <see cref="ResourceIds"/> (a resource without a Type gives a null element).</summary>
    public IReadOnlyList<string?>? ResourceTypes => _hasResources ? _resourceTypes : null;

    /// <summary><c>Resources[].Id</c>, aligned with <see cref="ResourceTypes"/>.</summary>
    public IReadOnlyList<string?>? ResourceIds => _hasResources ? _resourceIds : null;

    /// <summary><c>CreatedAt</c>, UTC.</summary>
    public DateTimeOffset? CreatedAt { get; internal set; }

    /// <summary><c>UpdatedAt</c>, UTC.</summary>
    public DateTimeOffset? UpdatedAt { get; internal set; }

    /// <summary><c>FirstObservedAt</c>, UTC.</summary>
    public DateTimeOffset? FirstObservedAt { get; internal set; }

    /// <summary><c>LastObservedAt</c>, UTC.</summary>
    public DateTimeOffset? LastObservedAt { get; internal set; }

    /// <summary>Strings of values that repeat across the findings read into this instance.</summary>
    internal Utf8StringCache Strings { get; } = new();

    // The lists are reused from finding to finding (the next read refills them), so reading a finding allocates no list.
    private readonly List<string?> _types = [];
    private readonly List<string?> _resourceTypes = [];
    private readonly List<string?> _resourceIds = [];
    private bool _hasTypes;
    private bool _hasResources;

    internal List<string?> StartTypes()
    {
        _types.Clear();
        _hasTypes = true;
        return _types;
    }

    internal void StartResources()
    {
        _resourceTypes.Clear();
        _resourceIds.Clear();
        _hasResources = true;
    }

    // The Type and Id of the Resources[] element being read.
    internal string? PendingResourceType { get; set; }

    internal string? PendingResourceId { get; set; }

    internal void AddResource(string? type, string? id)
    {
        _resourceTypes.Add(type);
        _resourceIds.Add(id);
    }

    internal void Clear()
    {
        Id = ProductArn = ProductName = CompanyName = GeneratorId = AwsAccountId = Region = Title = null;
        SeverityLabel = ComplianceStatus = SecurityControlId = WorkflowStatus = RecordState = null;
        SeverityNormalized = null;
        CreatedAt = UpdatedAt = FirstObservedAt = LastObservedAt = null;
        _hasTypes = _hasResources = false;
    }
}
