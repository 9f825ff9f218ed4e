namespace SecHubFanout.Core.Formats;

/// <summary>The values of one OCSF finding that become columns (see <see cref="Schema.OcsfFindingSchema.Columns"/>); null when the finding lacks the field.</summary>
/// <remarks>Filled by <see cref="OcsfFieldReader"/>; one instance is reused for many findings, each read replacing every value.</remarks>
public sealed class OcsfFields
{
    /// <summary><c>finding_info.uid</c>.</summary>
    public string? FindingUid { get; internal set; }

    /// <summary><c>metadata.uid</c>.</summary>
    public string? MetadataUid { get; internal set; }

    /// <summary><c>class_uid</c>.</summary>
    public int? ClassUid { get; internal set; }

    /// <summary><c>class_name</c>.</summary>
    public string? ClassName { get; internal set; }

    /// <summary><c>finding_info.title</c>.</summary>
    public string? Title { get; internal set; }

    /// <summary><c>finding_info.types[]</c>.</summary>
    public IReadOnlyList<string?>? Types { get; internal set; }

    /// <summary><c>metadata.product.name</c>.</summary>
    public string? ProductName { get; internal set; }

    /// <summary><c>metadata.product.uid</c>.</summary>
    public string? ProductUid { get; internal set; }

    /// <summary><c>metadata.version</c>.</summary>
    public string? MetadataVersion { get; internal set; }

    /// <summary><c>cloud.account.uid</c>.</summary>
    public string? CloudAccountUid { get; internal set; }

    /// <summary><c>cloud.region</c>.</summary>
    public string? CloudRegion { get; internal set; }

    /// <summary><c>severity</c>.</summary>
    public string? Severity { get; internal set; }

    /// <summary><c>severity_id</c>.</summary>
    public int? SeverityId { get; internal set; }

    /// <summary><c>status</c>.</summary>
    public string? Status { get; internal set; }

    /// <summary><c>status_id</c>.</summary>
    public int? StatusId { get; internal set; }

    /// <summary><c>compliance.status</c>.</summary>
    public string? ComplianceStatus { get; internal set; }

    /// <summary><c>compliance.control</c>.</summary>
    public string? ComplianceControl { get; internal set; }

    /// <summary><c>resources[].type</c>, aligned with <see cref="ResourceUids"/>.</summary>
    public IReadOnlyList<string?>? ResourceTypes { get; internal set; }

    /// <summary><c>resources[].uid</c>.</summary>
    public IReadOnlyList<string?>? ResourceUids { get; internal set; }

    /// <summary><c>resources[].region</c>.</summary>
    public IReadOnlyList<string?>? ResourceRegions { get; internal set; }

    /// <summary><c>finding_info.created_time_dt</c>, UTC.</summary>
    public DateTimeOffset? CreatedTime { get; internal set; }

    /// <summary><c>finding_info.modified_time_dt</c>, UTC.</summary>
    public DateTimeOffset? ModifiedTime { get; internal set; }

    /// <summary><c>finding_info.first_seen_time_dt</c>, UTC.</summary>
    public DateTimeOffset? FirstSeenTime { get; internal set; }

    /// <summary><c>finding_info.last_seen_time_dt</c>, UTC.</summary>
    public DateTimeOffset? LastSeenTime { get; internal set; }
}
