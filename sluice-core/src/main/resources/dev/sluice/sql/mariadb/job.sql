-- name: fragment.now
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: dbNow
SELECT ${fragment.now}

-- name: jobInsert
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at, errors)
VALUES (:kind, :queue, :state, :priority, :payload, :tags, :max_attempts,
        COALESCE(:run_at, ${fragment.now} + :delay_ms), ${fragment.now}, '[]')
RETURNING id

-- name: jobInsertMany
-- Many jobs from one JSON array, inserted in array order, so their ids ascend in that order.
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at, errors)
SELECT jt.kind, jt.queue, jt.state, jt.priority, jt.payload, jt.tags, jt.max_attempts,
       COALESCE(jt.run_at, ${fragment.now} + jt.delay_ms), ${fragment.now}, '[]'
FROM JSON_TABLE(:jobs, '$[*]' COLUMNS (
    ord FOR ORDINALITY,
    kind VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.kind',
    queue VARCHAR(100) CHARACTER SET utf8mb4 PATH '$.queue',
    state VARCHAR(20) CHARACTER SET utf8mb4 PATH '$.state',
    priority INT PATH '$.priority',
    payload LONGTEXT CHARACTER SET utf8mb4 PATH '$.payload',
    tags TEXT CHARACTER SET utf8mb4 PATH '$.tags',
    max_attempts INT PATH '$.max_attempts',
    run_at BIGINT PATH '$.run_at',
    delay_ms BIGINT PATH '$.delay_ms')) AS jt
ORDER BY jt.ord
RETURNING id

-- name: jobFetchCandidates
SELECT id FROM sluice_job
WHERE waiting_queue = :queue
  AND kind IN (SELECT k FROM JSON_TABLE(:kinds, '$[*]' COLUMNS (k VARCHAR(255) PATH '$')) AS jt)
  AND run_at <= ${fragment.now}
ORDER BY priority DESC, run_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED

-- name: jobClaim
-- A join, not IN (subquery): MariaDB runs an UPDATE's IN (subquery) as a scan of the whole table.
UPDATE sluice_job j
JOIN JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt ON j.id = jt.i
SET j.state = 'running', j.attempt = j.attempt + 1, j.lease_owner = :owner,
    j.lease_until = ${fragment.now} + :lease_ms, j.started_at = ${fragment.now}

-- name: jobGetMany
SELECT * FROM sluice_job
WHERE id IN (SELECT i FROM JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt)

-- name: jobFinish
UPDATE sluice_job
SET state = :state,
    run_at = CASE WHEN :state = 'retryable' THEN ${fragment.now} + :retry_delay_ms ELSE run_at END,
    finished_at = CASE WHEN :state = 'retryable' THEN NULL ELSE ${fragment.now} END,
    result = :result, errors = COALESCE(:errors, errors), lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND state = 'running' AND cancel_requested = 0

-- name: jobFinishLockMany
-- Locks the jobs of a completion batch that this node still holds; cancel_requested tells their end state.
SELECT id, cancel_requested FROM sluice_job
WHERE id IN (SELECT i FROM JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt)
  AND lease_owner = :owner AND state = 'running'
FOR UPDATE

-- name: jobFinishMany
-- No assignment reads a column another assignment sets: MariaDB does not promise their order here.
UPDATE sluice_job j
JOIN JSON_TABLE(:finishes, '$[*]' COLUMNS (
    id BIGINT PATH '$.id',
    state VARCHAR(20) CHARACTER SET utf8mb4 PATH '$.state',
    retry_delay_ms BIGINT PATH '$.retry_delay_ms',
    result LONGTEXT CHARACTER SET utf8mb4 PATH '$.result',
    errors LONGTEXT CHARACTER SET utf8mb4 PATH '$.errors')) AS u ON j.id = u.id
SET j.state = CASE WHEN j.cancel_requested = 1 THEN 'cancelled' ELSE u.state END,
    j.run_at = CASE WHEN u.state = 'retryable' AND j.cancel_requested = 0
                    THEN ${fragment.now} + u.retry_delay_ms ELSE j.run_at END,
    j.finished_at = CASE WHEN u.state = 'retryable' AND j.cancel_requested = 0 THEN NULL ELSE ${fragment.now} END,
    j.result = u.result, j.errors = COALESCE(u.errors, j.errors), j.lease_owner = NULL, j.lease_until = NULL
WHERE j.lease_owner = :owner AND j.state = 'running'

-- name: jobFinishCancelled
UPDATE sluice_job
SET state = 'cancelled', finished_at = ${fragment.now}, result = :result, errors = COALESCE(:errors, errors),
    lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND state = 'running' AND cancel_requested = 1

-- name: jobHandBack
UPDATE sluice_job
SET state = 'available', attempt = attempt - 1, run_at = ${fragment.now}, lease_owner = NULL, lease_until = NULL
WHERE id = :id AND lease_owner = :owner AND state = 'running'

-- name: jobRenewLeases
UPDATE sluice_job SET lease_until = ${fragment.now} + :lease_ms
WHERE running_owner = :owner

-- name: jobCancelRequested
SELECT id FROM sluice_job WHERE running_owner = :owner AND cancel_requested = 1

-- name: jobProgress
UPDATE sluice_job SET progress = :progress, progress_message = :message
WHERE id = :id AND lease_owner = :owner AND state = 'running'

-- name: jobCancelWaiting
UPDATE sluice_job SET state = 'cancelled', finished_at = ${fragment.now}
WHERE id = :id AND state IN ('available', 'scheduled', 'retryable')

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
WHERE waiting_queue = :queue
  AND kind IN (SELECT k FROM JSON_TABLE(:kinds, '$[*]' COLUMNS (k VARCHAR(255) PATH '$')) AS jt)

-- name: jobWaitingKinds
SELECT DISTINCT kind FROM sluice_job WHERE waiting_queue IS NOT NULL ORDER BY kind

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
DELETE FROM sluice_job
WHERE finished_at IS NOT NULL AND finished_at < ${fragment.now} - :retention_ms
  AND state IN ('completed', 'discarded', 'cancelled', 'superseded')
LIMIT :limit
