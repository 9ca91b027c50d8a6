-- The write-ahead log's guard: each (log, entry) takes effect at most once. A flush transaction
-- runs walLogLock (share lock of the log's row, and the check that this process still owns the
-- log), walAppliedRanges (which of its entries are applied already), walAppliedRangeInsert for
-- the rest (one row per run of consecutive ids), then the effects of those entries. Opening a
-- log (walLogOpen) takes the row exclusively; see JdbcWalStore for the argument.

-- name: fragment.now
CAST(unixepoch('subsec') * 1000 AS INTEGER)

-- name: walLogGet
SELECT pruned_through, opened FROM sluice_wal_log WHERE log_id = :log_id

-- name: walLogOpen
-- A process opens the log: counts the opening. Where the database has row locks this waits for
-- every flush transaction of the previous owner (they hold the row in share mode).
INSERT INTO sluice_wal_log (log_id, pruned_through, updated_at, opened) VALUES (:log_id, 0, ${fragment.now}, 1)
ON CONFLICT (log_id) DO UPDATE SET opened = opened + 1, updated_at = excluded.updated_at

-- name: walLogLock
-- First statement of a flush transaction: the caller checks that opened is still its own.
SELECT pruned_through, opened FROM sluice_wal_log WHERE log_id = :log_id

-- name: walAppliedRanges
-- The guard ranges that overlap the transaction's ids (pruned ones are below pruned_through).
SELECT first_id, last_id FROM sluice_wal_applied_range
WHERE log_id = :log_id AND last_id >= :first_id AND first_id <= :last_id

-- name: walAppliedRangeInsert
INSERT INTO sluice_wal_applied_range (log_id, first_id, last_id) VALUES (:log_id, :first_id, :last_id)

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
ON CONFLICT (log_id) DO UPDATE SET pruned_through = MAX(pruned_through, excluded.pruned_through),
    updated_at = excluded.updated_at

-- name: walAppliedPrune
DELETE FROM sluice_wal_applied_range WHERE log_id = :log_id AND last_id <= :through
