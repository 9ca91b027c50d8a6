-- name: fragment.now
CAST(unixepoch('subsec') * 1000 AS INTEGER)

-- name: fragment.claimedColumns
-- What a claim returns, in the order JobRows.claimed reads it.
id, kind, queue, priority, payload, tags, attempt, max_attempts, run_at, created_at, started_at,
lease_until, cancel_requested, errors, job_key, stream

-- name: dbNow
SELECT ${fragment.now}

-- name: jobInsert
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at,
                        job_key, stream, stream_limit)
VALUES (:kind, :queue, :state, :priority, :payload, :tags, :max_attempts,
        COALESCE(:run_at, ${fragment.now} + :delay_ms), ${fragment.now},
        :job_key, :stream, :stream_limit)
RETURNING id

-- name: jobFetchAvailable
UPDATE sluice_job
SET state = 'running', attempt = attempt + 1, lease_owner = :owner,
    lease_until = ${fragment.now} + :lease_ms, started_at = ${fragment.now}
WHERE id IN (
    SELECT id FROM sluice_job
    WHERE state IN ('available', 'scheduled', 'retryable')
      AND queue = :queue
      AND kind IN (SELECT value FROM json_each(:kinds))
      AND run_at <= ${fragment.now}
    ORDER BY priority DESC, run_at, id
    LIMIT :limit)
RETURNING ${fragment.claimedColumns}

-- name: jobFinishMany
-- A whole completion batch, one JSON array [id, attempt, state, retry_delay_ms, result, errors]
-- per job (arrays, not objects: SQLite finds an element by position faster than by name). Fenced
-- like every completion: the attempt, this node's lease and state 'running'; a job whose
-- cancellation was asked ends cancelled.
UPDATE sluice_job
SET state = CASE WHEN sluice_job.cancel_requested = 1 THEN 'cancelled' ELSE u.state END,
    run_at = CASE WHEN u.state = 'retryable' AND sluice_job.cancel_requested = 0
                  THEN ${fragment.now} + u.retry_delay_ms ELSE sluice_job.run_at END,
    finished_at = CASE WHEN u.state = 'retryable' AND sluice_job.cancel_requested = 0
                       THEN NULL ELSE ${fragment.now} END,
    result = u.result, errors = COALESCE(u.errors, sluice_job.errors), lease_owner = NULL, lease_until = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempt, value ->> 2 AS state,
             value ->> 3 AS retry_delay_ms, value ->> 4 AS result, value ->> 5 AS errors
      FROM json_each(:rows)) AS u
-- The unary + keeps SQLite from scanning the running-jobs index (owner) with the batch inside the
-- loop: each row of the batch looks its job up by id instead.
WHERE sluice_job.id = u.id AND sluice_job.attempt = u.attempt AND +sluice_job.lease_owner = :owner
  AND +sluice_job.state = 'running'
RETURNING sluice_job.id, sluice_job.attempt, sluice_job.state

-- name: jobFinishSucceeded
-- jobFinishMany for the common end, a success without result: only [id, attempt] pairs to
-- unpack and no per-row CASE on the outcome, which made a batch about a third cheaper.
UPDATE sluice_job
SET state = CASE WHEN sluice_job.cancel_requested = 1 THEN 'cancelled' ELSE 'completed' END,
    finished_at = ${fragment.now}, result = NULL, lease_owner = NULL, lease_until = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempt FROM json_each(:pairs)) AS u
WHERE sluice_job.id = u.id AND sluice_job.attempt = u.attempt AND +sluice_job.lease_owner = :owner
  AND +sluice_job.state = 'running'
RETURNING sluice_job.id, sluice_job.attempt, sluice_job.state

-- name: jobHandBack
-- Fenced on the attempt too: a job rescued and claimed again by the same node is a newer attempt.
UPDATE sluice_job
SET state = 'available', attempt = attempt - 1, run_at = ${fragment.now}, lease_owner = NULL, lease_until = NULL
WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running'

-- name: jobRenewLeases
-- Only the jobs the node knows it runs (:ids), not every row leased to it: a job claimed but
-- never handed to a worker would otherwise be kept from every other node for as long as this
-- one lives. Only leases with less than :within_ms left: a row is rewritten every half lease or
-- so rather than at every heartbeat.
UPDATE sluice_job SET lease_until = ${fragment.now} + :lease_ms
WHERE id IN (SELECT value FROM json_each(:ids))
  AND lease_owner = :owner AND state = 'running' AND lease_until < ${fragment.now} + :within_ms

-- name: jobCancelRequested
SELECT id FROM sluice_job WHERE lease_owner = :owner AND state = 'running' AND cancel_requested = 1

-- name: jobLeasesHeld
-- What the heartbeat compares with the attempts running on the node: one that is missing here
-- lost its lease (rescued, or taken over) and is stopped.
SELECT id, attempt, cancel_requested FROM sluice_job WHERE lease_owner = :owner AND state = 'running'

-- name: jobProgress
UPDATE sluice_job SET progress = :progress, progress_message = :message
WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running'

-- name: jobCancelWaiting
UPDATE sluice_job SET state = 'cancelled', finished_at = ${fragment.now}
WHERE id = :id AND state IN ('blocked', 'available', 'scheduled', 'retryable')

-- name: jobCancelRunning
UPDATE sluice_job SET cancel_requested = 1 WHERE id = :id AND state = 'running'

-- name: jobRetry
UPDATE sluice_job
SET state = 'available', run_at = ${fragment.now}, finished_at = NULL, cancel_requested = 0,
    max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END
WHERE id = :id AND state IN ('discarded', 'cancelled')

-- name: jobDelete
DELETE FROM sluice_job WHERE id = :id AND state <> 'running'

-- name: jobGet
SELECT * FROM sluice_job WHERE id = :id

-- name: jobList
SELECT * FROM sluice_job
WHERE (:state IS NULL OR state = :state)
  AND (:kind IS NULL OR kind = :kind)
  AND (:queue IS NULL OR queue = :queue)
  AND (:before_id IS NULL OR id < :before_id)
ORDER BY id DESC
LIMIT :limit

-- name: jobCountByQueueAndState
SELECT queue, state, COUNT(*) AS n FROM sluice_job GROUP BY queue, state

-- name: jobNextRunAt
SELECT MIN(run_at) FROM sluice_job
WHERE state IN ('available', 'scheduled', 'retryable') AND queue = :queue
  AND kind IN (SELECT value FROM json_each(:kinds))

-- name: jobWaitingKinds
SELECT DISTINCT kind FROM sluice_job WHERE state IN ('available', 'scheduled', 'retryable') ORDER BY kind

-- name: jobExpiredLeases
SELECT * FROM sluice_job WHERE state = 'running' AND lease_until < ${fragment.now} ORDER BY lease_until LIMIT :limit

-- name: jobRescue
UPDATE sluice_job
SET state = :state,
    run_at = ${fragment.now} + :retry_delay_ms,
    finished_at = CASE WHEN :state = 'retryable' THEN NULL ELSE ${fragment.now} END,
    errors = :errors, lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND state = 'running' AND lease_until < ${fragment.now}

-- name: jobPruneFinished
DELETE FROM sluice_job WHERE id IN (
    SELECT id FROM sluice_job
    WHERE finished_at IS NOT NULL AND finished_at < ${fragment.now} - :retention_ms
      AND state IN ('completed', 'discarded', 'cancelled', 'superseded')
    LIMIT :limit)
