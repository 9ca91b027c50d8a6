-- The write-ahead log's guard: each (log, entry) takes effect at most once. A flush claims its
-- entries in sluice_wal_applied (walAppliedClaim) and applies only the claimed ones
-- (jobInsertMany, activityInsertMany, walJobFinishMany), all in one transaction.

-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

-- name: walAppliedClaim
-- Claims a batch's entries: returns those not applied before (above the log's pruned-through
-- mark and not in the guard). The caller applies exactly these, in the same transaction.
INSERT INTO sluice_wal_applied (log_id, entry_id)
SELECT CAST(:log_id AS BIGINT), e FROM unnest(CAST(:entry_ids AS BIGINT[])) AS e
WHERE e > COALESCE((SELECT pruned_through FROM sluice_wal_log WHERE log_id = CAST(:log_id AS BIGINT)), 0)
ON CONFLICT DO NOTHING
RETURNING entry_id

-- name: walLogGet
SELECT pruned_through FROM sluice_wal_log WHERE log_id = :log_id

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
DELETE FROM sluice_wal_applied WHERE log_id = :log_id AND entry_id <= :through
