-- name: fragment.now
CAST(unixepoch('subsec') * 1000 AS INTEGER)

-- name: cdcHashList
SELECT object_id, hash FROM sluice_cdc_hash WHERE controller = :controller

-- name: cdcHashUpsert
INSERT INTO sluice_cdc_hash (controller, object_id, hash, updated_at)
VALUES (:controller, :object_id, :hash, ${fragment.now})
ON CONFLICT (controller, object_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at

-- name: cdcHashDelete
DELETE FROM sluice_cdc_hash WHERE controller = :controller AND object_id = :object_id
