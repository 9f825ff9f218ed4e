-- The latest version of every finding (ProductArn + Id): the row with the greatest updated_at across all exports.
-- Ties (the same version exported twice) go to the most recent export, so the choice is deterministic.
SELECT {columns}
FROM (
    SELECT
        {columns},
        row_number() OVER (
            PARTITION BY product_arn, id
            ORDER BY updated_at DESC NULLS LAST, exported_at DESC NULLS LAST, export_id DESC
        ) AS version_rank
    FROM {table}
) AS ranked
WHERE version_rank = 1
