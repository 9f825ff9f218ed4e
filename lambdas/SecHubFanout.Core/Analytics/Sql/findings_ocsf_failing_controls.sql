-- Compliance controls (compliance.control) ranked by the distinct resources whose latest OCSF finding fails them (not
-- suppressed), with the failing findings and accounts behind them.
WITH failing AS (
    SELECT *
    FROM {latest} AS latest
    WHERE compliance_status = 'Fail'
        AND coalesce(status, 'New') <> 'Suppressed'
        AND compliance_control IS NOT NULL
),
resources AS (
    SELECT f.compliance_control, count(DISTINCT r.resource_uid) AS failed_resources
    FROM failing AS f
    CROSS JOIN UNNEST(f.resource_uids) AS r (resource_uid)
    GROUP BY f.compliance_control
),
controls AS (
    SELECT
        f.compliance_control,
        min(f.title) AS title,
        count(*) AS failed_findings,
        count(DISTINCT f.cloud_account_uid) AS accounts,
        max(f.severity_id) AS max_severity_id
    FROM failing AS f
    GROUP BY f.compliance_control
)
SELECT
    row_number() OVER (
        ORDER BY coalesce(r.failed_resources, 0) DESC, c.failed_findings DESC, c.compliance_control
    ) AS rank,
    c.compliance_control,
    c.title,
    coalesce(r.failed_resources, 0) AS failed_resources,
    c.failed_findings,
    c.accounts,
    c.max_severity_id
FROM controls AS c
LEFT JOIN resources AS r ON r.compliance_control = c.compliance_control
