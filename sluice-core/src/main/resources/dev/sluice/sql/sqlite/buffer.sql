-- BufferedQueue's batch store (table sluice_buffer_batch, migration 003).

-- name: fragment.now
CAST(unixepoch('subsec') * 1000 AS INTEGER)

-- name: batchInsert
INSERT INTO sluice_buffer_batch (queue, priority, state, payload, items, attempts, due_at, created_at)
VALUES (:queue, :priority, 'ready', :payload, :items, 0, ${fragment.now}, ${fragment.now})
RETURNING id

-- name: batchTake
-- SQLite has one writer at a time, so one UPDATE … RETURNING claims atomically. A failed batch
-- whose cool-down ended starts a fresh round of attempts.
UPDATE sluice_buffer_batch
SET state = 'taken', owner = :owner, due_at = ${fragment.now} + :lease_ms,
    attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END
WHERE id IN (
    SELECT id FROM sluice_buffer_batch
    WHERE queue = :queue AND due_at IS NOT NULL AND due_at <= ${fragment.now}
    ORDER BY priority DESC, id
    LIMIT :limit)
RETURNING id, state, priority, attempts, items, payload, created_at, due_at, last_error

-- name: batchDelete
DELETE FROM sluice_buffer_batch
WHERE owner = :owner AND state = 'taken' AND id IN (SELECT value FROM json_each(:ids))

-- name: batchReturn
UPDATE sluice_buffer_batch
SET state = :state, attempts = :attempts, owner = NULL,
    due_at = CASE WHEN :delay_ms IS NULL THEN NULL ELSE ${fragment.now} + :delay_ms END,
    last_error = COALESCE(:error, last_error)
WHERE id = :id AND owner = :owner AND state = 'taken'

-- name: batchRenewLeases
UPDATE sluice_buffer_batch SET due_at = ${fragment.now} + :lease_ms
WHERE owner = :owner AND state = 'taken'

-- name: batchReleaseOwned
UPDATE sluice_buffer_batch SET state = 'ready', owner = NULL, due_at = ${fragment.now}
WHERE owner = :owner AND state = 'taken'

-- name: batchCountByState
SELECT state, COUNT(*) AS batches, COALESCE(SUM(items), 0) AS items
FROM sluice_buffer_batch WHERE queue = :queue GROUP BY state

-- name: batchList
SELECT id, state, priority, attempts, items, payload, created_at, due_at, last_error
FROM sluice_buffer_batch
WHERE queue = :queue AND (:state IS NULL OR state = :state)
ORDER BY priority DESC, id
LIMIT :limit

-- name: batchRetryFailed
UPDATE sluice_buffer_batch SET state = 'ready', attempts = 0, due_at = ${fragment.now}
WHERE queue = :queue AND state = 'failed' AND (:id IS NULL OR id = :id)

-- name: batchDeleteFailed
DELETE FROM sluice_buffer_batch WHERE queue = :queue AND state = 'failed' AND id = :id
