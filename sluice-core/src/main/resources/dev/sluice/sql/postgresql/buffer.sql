-- BufferedQueue's batch store (table sluice_buffer_batch, migration 003).

-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

-- name: batchInsert
INSERT INTO sluice_buffer_batch (queue, priority, state, payload, items, attempts, due_at, created_at)
VALUES (:queue, :priority, 'ready', :payload, :items, 0, ${fragment.now}, ${fragment.now})
RETURNING id

-- name: batchTake
-- Rows another worker is claiming right now are skipped, not waited for. A failed batch whose
-- cool-down ended starts a fresh round of attempts.
WITH picked AS (
    SELECT id FROM sluice_buffer_batch
    WHERE queue = :queue AND due_at IS NOT NULL AND due_at <= ${fragment.now}
    ORDER BY priority DESC, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
UPDATE sluice_buffer_batch b
SET state = 'taken', owner = :owner, due_at = ${fragment.now} + CAST(:lease_ms AS BIGINT),
    attempts = CASE WHEN b.state = 'failed' THEN 0 ELSE b.attempts END
FROM picked
WHERE b.id = picked.id
RETURNING b.id, b.state, b.priority, b.attempts, b.items, b.payload, b.created_at, b.due_at, b.last_error

-- name: batchDelete
DELETE FROM sluice_buffer_batch
WHERE owner = :owner AND state = 'taken' AND id = ANY(CAST(:ids AS BIGINT[]))

-- name: batchReturn
UPDATE sluice_buffer_batch
SET state = :state, attempts = :attempts, owner = NULL,
    due_at = CASE WHEN CAST(:delay_ms AS BIGINT) IS NULL THEN NULL
                  ELSE ${fragment.now} + CAST(:delay_ms AS BIGINT) END,
    last_error = COALESCE(CAST(:error AS TEXT), last_error)
WHERE id = :id AND owner = :owner AND state = 'taken'

-- name: batchRenewLeases
UPDATE sluice_buffer_batch SET due_at = ${fragment.now} + CAST(:lease_ms AS BIGINT)
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
WHERE queue = :queue AND (CAST(:state AS TEXT) IS NULL OR state = CAST(:state AS TEXT))
ORDER BY priority DESC, id
LIMIT :limit

-- name: batchRetryFailed
UPDATE sluice_buffer_batch SET state = 'ready', attempts = 0, due_at = ${fragment.now}
WHERE queue = :queue AND state = 'failed' AND (CAST(:id AS BIGINT) IS NULL OR id = CAST(:id AS BIGINT))

-- name: batchDeleteFailed
DELETE FROM sluice_buffer_batch WHERE queue = :queue AND state = 'failed' AND id = :id
