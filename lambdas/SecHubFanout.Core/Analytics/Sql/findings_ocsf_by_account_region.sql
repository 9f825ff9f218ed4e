-- Current OCSF findings (latest version of each) per exported account and Region: totals, failed controls, by severity,
-- by class, and the resources they reference.
SELECT
    account_id,
    region,
    count(*) AS findings,
    count(*) FILTER (WHERE compliance_status = 'Fail') AS failed,
    count(*) FILTER (WHERE severity = 'Critical') AS critical,
    count(*) FILTER (WHERE severity = 'High') AS high,
    count(*) FILTER (WHERE severity = 'Medium') AS medium,
    count(*) FILTER (WHERE severity = 'Low') AS low,
    count(*) FILTER (WHERE severity = 'Informational') AS informational,
    count(*) FILTER (WHERE class_uid = 2002) AS vulnerabilities,
    count(*) FILTER (WHERE class_uid = 2003) AS compliance,
    count(*) FILTER (WHERE class_uid = 2004) AS detections,
    CAST(sum(coalesce(cardinality(resource_uids), 0)) AS BIGINT) AS resource_references,
    max(modified_time) AS last_modified_time
FROM {latest} AS latest
GROUP BY account_id, region
