-- name: fragment.now
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: cdcHashList
SELECT object_id, hash FROM sluice_cdc_hash WHERE controller = :controller

-- name: cdcHashUpsert
INSERT INTO sluice_cdc_hash (controller, object_id, hash, updated_at)
VALUES (:controller, :object_id, :hash, ${fragment.now})
ON DUPLICATE KEY UPDATE hash = VALUES(hash), updated_at = VALUES(updated_at)

-- name: cdcHashDelete
DELETE FROM sluice_cdc_hash WHERE controller = :controller AND object_id = :object_id
