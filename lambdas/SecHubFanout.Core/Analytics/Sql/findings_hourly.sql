-- Findings rolled up per hour of their last update by compliance status, workflow status and severity label, with the
-- count of distinct titles: the rolled-up view AWS's Security Hub analytic-pipeline sample feeds its QuickSight line chart.
-- Each finding version (ProductArn + Id + updated_at) counts once, however many exports hold it.
SELECT
    date_trunc('hour', updated_at) AS hour,
    compliance_status,
    workflow_status,
    severity_label,
    count(*) AS findings,
    count(DISTINCT title) AS distinct_titles
FROM (
    SELECT DISTINCT product_arn, id, updated_at, title, compliance_status, workflow_status, severity_label
    FROM {table}
) AS versions
GROUP BY date_trunc('hour', updated_at), compliance_status, workflow_status, severity_label
