-- Current findings (latest version of each) per exported account and Region: totals, active, failed controls, by
-- severity, and the resources they reference.
SELECT
    account_id,
    region,
    count(*) AS findings,
    count(*) FILTER (WHERE record_state = 'ACTIVE') AS active,
    count(*) FILTER (WHERE compliance_status = 'FAILED') AS failed,
    count(*) FILTER (WHERE severity_label = 'CRITICAL') AS critical,
    count(*) FILTER (WHERE severity_label = 'HIGH') AS high,
    count(*) FILTER (WHERE severity_label = 'MEDIUM') AS medium,
    count(*) FILTER (WHERE severity_label = 'LOW') AS low,
    count(*) FILTER (WHERE severity_label = 'INFORMATIONAL') AS informational,
    CAST(sum(coalesce(cardinality(resource_ids), 0)) AS BIGINT) AS resource_references,
    max(updated_at) AS last_updated_at
FROM {latest} AS latest
GROUP BY account_id, region
