using System.Collections.Frozen;

namespace SecHubFanout.Emulator.Query;

/// <summary>The field names GetFindingsV2 accepts per filter type (the OcsfStringField, OcsfDateField, ... enums of AWS's SDK models).</summary>
internal static class OcsfFieldNames
{
    public static FrozenSet<string> Strings { get; } = FrozenSet.ToFrozenSet(
    [
        "activity_name", "class_name", "cloud.account.name", "cloud.account.uid", "cloud.provider", "cloud.region", "comment",
        "compliance.assessments.category", "compliance.assessments.name", "compliance.control", "compliance.standards", "compliance.status",
        "databucket.encryption_details.algorithm", "databucket.encryption_details.key_uid", "databucket.file.data_classifications.classifier_details.type",
        "evidences.actor.user.account.uid", "evidences.api.operation", "evidences.api.response.error_message", "evidences.api.service.name",
        "evidences.connection_info.direction", "evidences.connection_info.protocol_name", "evidences.dst_endpoint.autonomous_system.name",
        "evidences.dst_endpoint.location.city", "evidences.dst_endpoint.location.country", "evidences.src_endpoint.autonomous_system.name",
        "evidences.src_endpoint.hostname", "evidences.src_endpoint.location.city", "evidences.src_endpoint.location.country",
        "finding_info.analytic.name", "finding_info.desc", "finding_info.related_events.product.uid", "finding_info.related_events.title",
        "finding_info.related_events.traits.category", "finding_info.related_events.uid", "finding_info.src_url", "finding_info.title",
        "finding_info.types", "finding_info.uid", "malware.name", "malware_scan_info.uid", "malware.severity", "metadata.product.name",
        "metadata.product.uid", "metadata.product.vendor_name", "metadata.uid", "remediation.desc", "remediation.references",
        "resources.cloud_function.layers.uid_alt", "resources.cloud_function.runtime", "resources.cloud_function.user.uid",
        "resources.cloud_partition", "resources.device.encryption_details.key_uid", "resources.device.image.uid", "resources.image.architecture",
        "resources.image.registry_uid", "resources.image.repository_name", "resources.image.uid", "resources.name", "resources.owner.account.name",
        "resources.owner.account.uid", "resources.owner.org.uid", "resources.provider", "resources.region", "resources.subnet_info.uid",
        "resources.type", "resources.uid", "resources.vpc_uid", "severity", "status", "vendor_attributes.severity",
        "vulnerabilities.affected_code.file.path", "vulnerabilities.affected_packages.name", "vulnerabilities.cve.epss.score",
        "vulnerabilities.cve.uid", "vulnerabilities.fix_coverage", "vulnerabilities.related_vulnerabilities",
    ], StringComparer.Ordinal);

    /// <summary>Date filters exist only on these (not on <c>time_dt</c>).</summary>
    public static FrozenSet<string> Dates { get; } = FrozenSet.ToFrozenSet(
    [
        "finding_info.created_time_dt", "finding_info.first_seen_time_dt", "finding_info.last_seen_time_dt", "finding_info.modified_time_dt",
        "resources.image.created_time_dt", "resources.image.last_used_time_dt", "resources.modified_time_dt",
    ], StringComparer.Ordinal);

    public static FrozenSet<string> Numbers { get; } = FrozenSet.ToFrozenSet(
    [
        "activity_id", "compliance.status_id", "confidence_score", "evidences.api.response.code", "evidences.dst_endpoint.autonomous_system.number",
        "evidences.dst_endpoint.port", "evidences.src_endpoint.autonomous_system.number", "evidences.src_endpoint.port",
        "finding_info.related_events_count", "resources.image.in_use_count", "severity_id", "status_id", "vendor_attributes.severity_id",
        "vulnerabilities.cve.cvss.base_score",
    ], StringComparer.Ordinal);

    public static FrozenSet<string> Booleans { get; } = FrozenSet.ToFrozenSet(
        ["compliance.assessments.meets_criteria", "vulnerabilities.is_exploit_available", "vulnerabilities.is_fix_available"], StringComparer.Ordinal);

    public static FrozenSet<string> Maps { get; } = FrozenSet.ToFrozenSet(
        ["compliance.control_parameters", "databucket.tags", "finding_info.tags", "resources.tags"], StringComparer.Ordinal);

    public static FrozenSet<string> Ips { get; } = FrozenSet.ToFrozenSet(["evidences.dst_endpoint.ip", "evidences.src_endpoint.ip"], StringComparer.Ordinal);
}
