-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

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
        COALESCE(CAST(:run_at AS BIGINT), ${fragment.now} + CAST(:delay_ms AS BIGINT)), ${fragment.now},
        :job_key, :stream, :stream_limit)
RETURNING id

-- name: jobInsertMany
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at,
                        job_key, stream, stream_limit)
SELECT u.kind, u.queue, u.state, u.priority, u.payload, u.tags, u.max_attempts,
       COALESCE(u.run_at, ${fragment.now} + u.delay_ms), ${fragment.now}, u.job_key, u.stream, u.stream_limit
FROM unnest(CAST(:kinds AS TEXT[]), CAST(:queues AS TEXT[]), CAST(:states AS TEXT[]),
            CAST(:priorities AS INTEGER[]), CAST(:payloads AS TEXT[]), CAST(:tags AS TEXT[]),
            CAST(:max_attempts AS INTEGER[]), CAST(:run_ats AS BIGINT[]), CAST(:delays AS BIGINT[]),
            CAST(:job_keys AS TEXT[]), CAST(:streams AS TEXT[]), CAST(:stream_limits AS INTEGER[]))
     WITH ORDINALITY AS u(kind, queue, state, priority, payload, tags, max_attempts, run_at, delay_ms,
                          job_key, stream, stream_limit, ord)
ORDER BY u.ord
RETURNING id

-- name: jobReserveIds
-- Ids for a COPY of :n jobs (PostgresJobCopier), with the database clock the rows are timed by.
-- One row: the first and last id, and every id only when another transaction's took some of the
-- range (5,000 rows of ids cost the client more to read than the server to make).
WITH reserved AS (SELECT nextval('sluice_job_id_seq') AS id FROM generate_series(1, CAST(:n AS INTEGER)))
SELECT min(id), max(id),
       CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL ELSE array_agg(id ORDER BY id) END,
       ${fragment.now}
FROM reserved

-- name: jobCopyIn
-- Binary rows written by PostgresJobCopier, in this column order.
COPY sluice_job (id, kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at,
                job_key, stream, stream_limit)
FROM STDIN (FORMAT binary)

-- name: jobNotify
SELECT pg_notify('sluice_job', q) FROM unnest(CAST(:queues AS TEXT[])) AS q

-- name: jobNotifyCancel
SELECT pg_notify('sluice_cancel', CAST(:id AS TEXT))

-- name: jobFetchAvailable
-- One statement in autocommit, so a claim is one round trip; the function (migration 009) fixes
-- its plan to the ordered scan of the fetch index and commits without waiting for the disk.
SELECT ${fragment.claimedColumns} FROM sluice_fetch(:queue, CAST(:kinds AS TEXT[]), CAST(:limit AS INTEGER), :owner, CAST(:lease_ms AS BIGINT))

-- name: jobFinishMany
-- The function (migration 010) probes the primary key for each job of the batch, whatever the
-- statistics say; see there.
SELECT finished_id, finished_attempt, finished_state
FROM sluice_finish(CAST(:ids AS BIGINT[]), CAST(:attempts AS INTEGER[]), CAST(:states AS TEXT[]),
                   CAST(:retry_delays AS BIGINT[]), CAST(:results AS TEXT[]), CAST(:errors AS TEXT[]), :owner)

-- name: jobHandBack
-- Fenced on the attempt too: a job rescued and claimed again by the same node is a newer attempt.
UPDATE sluice_job
SET state = 'available', attempt = attempt - 1, run_at = ${fragment.now}, lease_owner = NULL, lease_until = NULL
WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running'

-- name: jobRenewLeases
-- Only the jobs the node knows it runs (:ids), not every row leased to it: a job claimed but
-- never handed to a worker would otherwise be kept from every other node for as long as this
-- one lives. Only leases with less than :within_ms left, so that a row is rewritten every half
-- lease or so rather than at every heartbeat; locked in id order, the order in which
-- completions lock them.
UPDATE sluice_job j SET lease_until = ${fragment.now} + CAST(:lease_ms AS BIGINT)
FROM (SELECT id FROM sluice_job
      WHERE id = ANY(CAST(:ids AS BIGINT[])) AND lease_owner = :owner AND state = 'running'
        AND lease_until < ${fragment.now} + CAST(:within_ms AS BIGINT)
      ORDER BY id
      FOR UPDATE) AS r
WHERE j.id = r.id

-- name: jobCancelRequested
SELECT id FROM sluice_job WHERE lease_owner = :owner AND state = 'running' AND cancel_requested

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
UPDATE sluice_job SET cancel_requested = TRUE WHERE id = :id AND state = 'running'

-- name: jobRetry
UPDATE sluice_job
SET state = 'available', run_at = ${fragment.now}, finished_at = NULL, cancel_requested = FALSE,
    max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END
WHERE id = :id AND state IN ('discarded', 'cancelled')

-- name: jobDelete
DELETE FROM sluice_job WHERE id = :id AND state <> 'running'

-- name: jobGet
SELECT * FROM sluice_job WHERE id = :id

-- name: jobList
SELECT * FROM sluice_job
WHERE (CAST(:state AS TEXT) IS NULL OR state = CAST(:state AS TEXT))
  AND (CAST(:kind AS TEXT) IS NULL OR kind = CAST(:kind AS TEXT))
  AND (CAST(:queue AS TEXT) IS NULL OR queue = CAST(:queue AS TEXT))
  AND (CAST(:before_id AS BIGINT) IS NULL OR id < CAST(:before_id AS BIGINT))
ORDER BY id DESC
LIMIT :limit

-- name: jobCountByQueueAndState
SELECT queue, state, COUNT(*) AS n FROM sluice_job GROUP BY queue, state

-- name: jobNextRunAt
SELECT MIN(run_at) FROM sluice_job
WHERE state IN ('available', 'scheduled', 'retryable') AND queue = :queue
  AND kind = ANY(CAST(:kinds AS TEXT[]))

-- name: jobWaitingKinds
SELECT DISTINCT kind FROM sluice_job WHERE state IN ('available', 'scheduled', 'retryable') ORDER BY kind

-- name: jobExpiredLeases
SELECT * FROM sluice_job WHERE state = 'running' AND lease_until < ${fragment.now} ORDER BY lease_until LIMIT :limit

-- name: jobRescue
UPDATE sluice_job
SET state = CAST(:state AS TEXT),
    run_at = ${fragment.now} + CAST(:retry_delay_ms AS BIGINT),
    finished_at = CASE WHEN CAST(:state AS TEXT) = 'retryable' THEN NULL ELSE ${fragment.now} END,
    errors = :errors, lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND state = 'running' AND lease_until < ${fragment.now}

-- name: jobPruneFinished
DELETE FROM sluice_job WHERE id IN (
    SELECT id FROM sluice_job
    WHERE finished_at IS NOT NULL AND finished_at < ${fragment.now} - CAST(:retention_ms AS BIGINT)
      AND state IN ('completed', 'discarded', 'cancelled', 'superseded')
    LIMIT :limit)
