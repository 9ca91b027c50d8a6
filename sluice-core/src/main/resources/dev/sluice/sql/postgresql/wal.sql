-- The write-ahead log's guard: each (log, entry) takes effect at most once. A flush transaction
-- runs walLogLock (share lock of the log's row, and the check that this process still owns the
-- log), walAppliedRanges (which of its entries are applied already), walAppliedRangeInsert for
-- the rest (one row per run of consecutive ids), then the effects of those entries; when its ids
-- run without a gap, walAppliedRangeClaim does all three in one round trip. Opening a log
-- (walLogOpen) takes the row exclusively; see JdbcWalStore for the argument.

-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

-- name: walLogGet
SELECT pruned_through, opened FROM sluice_wal_log WHERE log_id = :log_id

-- name: walLogOpen
-- A process opens the log: counts the opening. Where the database has row locks this waits for
-- every flush transaction of the previous owner (they hold the row in share mode).
INSERT INTO sluice_wal_log (log_id, pruned_through, updated_at, opened) VALUES (:log_id, 0, ${fragment.now}, 1)
ON CONFLICT (log_id) DO UPDATE SET opened = sluice_wal_log.opened + 1, updated_at = excluded.updated_at

-- name: walLogLock
-- First statement of a flush transaction: the caller checks that opened is still its own.
SELECT pruned_through, opened FROM sluice_wal_log WHERE log_id = :log_id FOR SHARE

-- name: walAppliedRanges
-- The guard ranges that overlap the transaction's ids (pruned ones are below pruned_through).
SELECT first_id, last_id FROM sluice_wal_applied_range
WHERE log_id = :log_id AND last_id >= :first_id AND first_id <= :last_id

-- name: walAppliedRangeInsert
INSERT INTO sluice_wal_applied_range (log_id, first_id, last_id) VALUES (:log_id, :first_id, :last_id)

-- name: walAppliedRangeClaim
-- The guard in one round trip for a transaction whose ids run without a gap from :first_id to
-- :last_id (the usual case): walLogLock, walAppliedRanges and, when the opening is still :opened,
-- nothing is at or below pruned_through and no range overlaps, walAppliedRangeInsert of the whole
-- run. One statement, one snapshot, taken after this process opened the log (so every range of
-- an earlier opening is visible); the share lock, if it waits for an opening, reads the row as
-- that left it. Returns the log's pruned_through and opened, whether the run was recorded, and
-- each overlapping range (one row of NULLs when none): the caller fails on another opening, and
-- otherwise, when the run was not recorded, claims the new ids run by run as without it.
WITH log AS (
    SELECT pruned_through, opened FROM sluice_wal_log WHERE log_id = :log_id FOR SHARE
), overlap AS (
    SELECT first_id, last_id FROM sluice_wal_applied_range
    WHERE log_id = :log_id AND last_id >= :first_id AND first_id <= :last_id
), claimed AS (
    INSERT INTO sluice_wal_applied_range (log_id, first_id, last_id)
    SELECT :log_id, :first_id, :last_id FROM log
    WHERE log.opened = :opened AND log.pruned_through < :first_id AND NOT EXISTS (SELECT 1 FROM overlap)
    RETURNING last_id
)
SELECT log.pruned_through, log.opened, EXISTS (SELECT 1 FROM claimed) AS claimed, overlap.first_id, overlap.last_id
FROM log LEFT JOIN overlap ON true

-- name: walJobFinishMany
-- Completions replayed from the log: fenced on the owner that logged them and on their attempt,
-- so none lands on a job another node (or a later attempt) holds.
UPDATE sluice_job j
SET state = CASE WHEN j.cancel_requested THEN 'cancelled' ELSE u.state END,
    run_at = CASE WHEN u.state = 'retryable' AND NOT j.cancel_requested
                  THEN ${fragment.now} + u.retry_delay_ms ELSE j.run_at END,
    finished_at = CASE WHEN u.state = 'retryable' AND NOT j.cancel_requested THEN NULL ELSE ${fragment.now} END,
    result = u.result, errors = COALESCE(u.errors, j.errors), lease_owner = NULL, lease_until = NULL
FROM unnest(CAST(:entry_ids AS BIGINT[]), CAST(:ids AS BIGINT[]), CAST(:owners AS TEXT[]),
            CAST(:attempts AS INTEGER[]), CAST(:states AS TEXT[]), CAST(:retry_delays AS BIGINT[]),
            CAST(:results AS TEXT[]), CAST(:errors AS TEXT[]))
     AS u(entry_id, id, owner, attempt, state, retry_delay_ms, result, errors)
-- COALESCE keeps the planner off the lease index (see jobFinishMany in job.sql).
WHERE j.id = u.id AND COALESCE(j.lease_owner, '') = u.owner AND j.attempt = u.attempt AND j.state = 'running'
RETURNING u.entry_id, j.state

-- name: walLogPrune
INSERT INTO sluice_wal_log (log_id, pruned_through, updated_at) VALUES (:log_id, :through, ${fragment.now})
ON CONFLICT (log_id) DO UPDATE SET pruned_through = GREATEST(sluice_wal_log.pruned_through, excluded.pruned_through),
    updated_at = excluded.updated_at

-- name: walAppliedPrune
DELETE FROM sluice_wal_applied_range WHERE log_id = :log_id AND last_id <= :through
