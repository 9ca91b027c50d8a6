-- The write-ahead log's guard: each (log, entry) takes effect at most once. A flush runs, in one
-- transaction: walLogGet and walAppliedInRange (what is already applied), walAppliedInsert for
-- the rest, then the effects (walJobInsert, activityInsert, walJobFinish / walJobFinishCancelled).

-- name: fragment.now
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: walLogGet
SELECT pruned_through FROM sluice_wal_log WHERE log_id = :log_id

-- name: walAppliedInRange
SELECT entry_id FROM sluice_wal_applied WHERE log_id = :log_id AND entry_id BETWEEN :first_id AND :last_id

-- name: walAppliedInsert
INSERT INTO sluice_wal_applied (log_id, entry_id) VALUES (:log_id, :entry_id)

-- name: walJobInsert
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at, errors)
VALUES (:kind, :queue, :state, :priority, :payload, :tags, :max_attempts,
        COALESCE(:run_at, ${fragment.now} + :delay_ms), ${fragment.now}, '[]')

-- name: walJobFinish
-- A completion replayed from the log: fenced on the owner that logged it and on its attempt, so
-- it never lands on a job another node (or a later attempt) holds.
UPDATE sluice_job
SET state = :state,
    run_at = CASE WHEN :state = 'retryable' THEN ${fragment.now} + :retry_delay_ms ELSE run_at END,
    finished_at = CASE WHEN :state = 'retryable' THEN NULL ELSE ${fragment.now} END,
    result = :result, errors = COALESCE(:errors, errors), lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND attempt = :attempt AND state = 'running' AND cancel_requested = 0

-- name: walJobFinishCancelled
UPDATE sluice_job
SET state = 'cancelled', finished_at = ${fragment.now}, result = :result, errors = COALESCE(:errors, errors),
    lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND attempt = :attempt AND state = 'running' AND cancel_requested = 1

-- name: walLogPrune
INSERT INTO sluice_wal_log (log_id, pruned_through, updated_at) VALUES (:log_id, :through, ${fragment.now})
ON DUPLICATE KEY UPDATE pruned_through = GREATEST(pruned_through, VALUES(pruned_through)),
    updated_at = VALUES(updated_at)

-- name: walAppliedPrune
DELETE FROM sluice_wal_applied WHERE log_id = :log_id AND entry_id <= :through
