-- Security controls ranked by the distinct resources whose latest finding fails them (active, not suppressed), with the
-- failing findings and accounts behind them.
WITH failing AS (
    SELECT *
    FROM {latest} AS latest
    WHERE compliance_status = 'FAILED'
        AND record_state = 'ACTIVE'
        AND coalesce(workflow_status, 'NEW') <> 'SUPPRESSED'
        AND security_control_id IS NOT NULL
),
resources AS (
    SELECT f.security_control_id, count(DISTINCT r.resource_id) AS failed_resources
    FROM failing AS f
    CROSS JOIN UNNEST(f.resource_ids) AS r (resource_id)
    GROUP BY f.security_control_id
),
controls AS (
    SELECT
        f.security_control_id,
        min(f.title) AS title,
        count(*) AS failed_findings,
        count(DISTINCT f.aws_account_id) AS accounts,
        max(f.severity_normalized) AS max_severity_normalized
    FROM failing AS f
    GROUP BY f.security_control_id
)
SELECT
    row_number() OVER (
        ORDER BY coalesce(r.failed_resources, 0) DESC, c.failed_findings DESC, c.security_control_id
    ) AS rank,
    c.security_control_id,
    c.title,
    coalesce(r.failed_resources, 0) AS failed_resources,
    c.failed_findings,
    c.accounts,
    c.max_severity_normalized
FROM controls AS c
LEFT JOIN resources AS r ON r.security_control_id = c.security_control_id
