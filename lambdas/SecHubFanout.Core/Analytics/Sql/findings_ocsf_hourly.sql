-- OCSF findings per hour of their last modification by severity, status and class (severity over time), with the count
-- of distinct titles. Each finding version (product uid + finding uid + modified_time) counts once, however many exports hold it.
SELECT
    date_trunc('hour', modified_time) AS hour,
    severity,
    status,
    class_name,
    count(*) AS findings,
    count(DISTINCT title) AS distinct_titles
FROM (
    SELECT DISTINCT product_uid, finding_uid, modified_time, title, severity, status, class_name
    FROM {table}
) AS versions
GROUP BY date_trunc('hour', modified_time), severity, status, class_name
