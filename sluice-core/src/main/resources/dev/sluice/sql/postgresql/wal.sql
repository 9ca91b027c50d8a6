-- The write-ahead log's guard: each (log, entry) takes effect at most once. Each statement claims
-- its entries in sluice_wal_applied (ON CONFLICT DO NOTHING, above the log's pruned_through) and
-- applies only the claimed ones, in one round trip, in the flush's transaction.

-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

-- name: fragment.fresh
fresh AS (
    INSERT INTO sluice_wal_applied (log_id, entry_id)
    SELECT CAST(:log_id AS BIGINT), e FROM unnest(CAST(:entry_ids AS BIGINT[])) AS e
    WHERE e > COALESCE((SELECT pruned_through FROM sluice_wal_log WHERE log_id = CAST(:log_id AS BIGINT)), 0)
    ON CONFLICT DO NOTHING
    RETURNING entry_id)

-- name: walLogGet
SELECT pruned_through FROM sluice_wal_log WHERE log_id = :log_id

-- name: walJobInsertMany
WITH ${fragment.fresh},
inserted AS (
    INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at)
    SELECT u.kind, u.queue, u.state, u.priority, u.payload, u.tags, u.max_attempts,
           COALESCE(u.run_at, ${fragment.now} + u.delay_ms), ${fragment.now}
    FROM unnest(CAST(:entry_ids AS BIGINT[]), CAST(:kinds AS TEXT[]), CAST(:queues AS TEXT[]),
                CAST(:states AS TEXT[]), CAST(:priorities AS INTEGER[]), CAST(:payloads AS TEXT[]),
                CAST(:tags AS TEXT[]), CAST(:max_attempts AS INTEGER[]), CAST(:run_ats AS BIGINT[]),
                CAST(:delays AS BIGINT[]))
         WITH ORDINALITY AS u(entry_id, kind, queue, state, priority, payload, tags, max_attempts, run_at, delay_ms, ord)
    WHERE u.entry_id IN (SELECT entry_id FROM fresh)
    ORDER BY u.ord
    RETURNING id)
SELECT entry_id FROM fresh

-- name: walActivityInsertMany
WITH ${fragment.fresh},
inserted AS (
    INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at)
    SELECT u.job_id, u.batch_id, u.action, u.message, u.node, u.logged_at
    FROM unnest(CAST(:entry_ids AS BIGINT[]), CAST(:job_ids AS BIGINT[]), CAST(:batch_ids AS BIGINT[]),
                CAST(:actions AS TEXT[]), CAST(:messages AS TEXT[]), CAST(:nodes AS TEXT[]),
                CAST(:logged_ats AS BIGINT[]))
         WITH ORDINALITY AS u(entry_id, job_id, batch_id, action, message, node, logged_at, ord)
    WHERE u.entry_id IN (SELECT entry_id FROM fresh)
    ORDER BY u.ord
    RETURNING id)
SELECT entry_id FROM fresh

-- name: walJobFinishMany
-- Completions replayed from the log: fenced on the owner that logged them and on their attempt,
-- so none lands on a job another node (or a later attempt) holds.
WITH ${fragment.fresh}
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
WHERE u.entry_id IN (SELECT entry_id FROM fresh)
  AND j.id = u.id AND j.lease_owner = u.owner AND j.attempt = u.attempt AND j.state = 'running'
RETURNING u.entry_id, j.state

-- name: walLogPrune
INSERT INTO sluice_wal_log (log_id, pruned_through, updated_at) VALUES (:log_id, :through, ${fragment.now})
ON CONFLICT (log_id) DO UPDATE SET pruned_through = GREATEST(sluice_wal_log.pruned_through, excluded.pruned_through),
    updated_at = excluded.updated_at

-- name: walAppliedPrune
DELETE FROM sluice_wal_applied WHERE log_id = :log_id AND entry_id <= :through
