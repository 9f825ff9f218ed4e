-- The latest version of every OCSF finding (metadata.product.uid + finding_info.uid): the row with the greatest
-- modified_time across all exports. Ties (the same version exported twice) go to the most recent export.
SELECT {columns}
FROM (
    SELECT
        {columns},
        row_number() OVER (
            PARTITION BY product_uid, finding_uid
            ORDER BY modified_time DESC NULLS LAST, exported_at DESC NULLS LAST, export_id DESC
        ) AS version_rank
    FROM {table}
) AS ranked
WHERE version_rank = 1
