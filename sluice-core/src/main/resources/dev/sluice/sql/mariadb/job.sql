-- name: fragment.now
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: fragment.claimedColumns
-- What a claim returns, in the order JobRows.claimed reads it.
id, kind, queue, priority, payload, tags, attempt, max_attempts, run_at, created_at, started_at,
lease_until, cancel_requested, errors, job_key, stream

-- name: dbNow
SELECT ${fragment.now}

-- name: jobInsert
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at, errors,
                        job_key, stream, stream_limit)
VALUES (:kind, :queue, :state, :priority, :payload, :tags, :max_attempts,
        COALESCE(:run_at, ${fragment.now} + :delay_ms), ${fragment.now}, '[]',
        :job_key, :stream, :stream_limit)
RETURNING id

-- name: jobInsertMany
-- Many jobs from one JSON array, inserted in array order, so their ids ascend in that order.
INSERT INTO sluice_job (kind, queue, state, priority, payload, tags, max_attempts, run_at, created_at, errors,
                        job_key, stream, stream_limit)
SELECT jt.kind, jt.queue, jt.state, jt.priority, jt.payload, jt.tags, jt.max_attempts,
       COALESCE(jt.run_at, ${fragment.now} + jt.delay_ms), ${fragment.now}, '[]', jt.job_key, jt.stream, jt.stream_limit
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
    delay_ms BIGINT PATH '$.delay_ms',
    job_key VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.job_key',
    stream VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.stream',
    stream_limit INT PATH '$.stream_limit')) AS jt
ORDER BY jt.ord
RETURNING id

-- name: jobFetchCandidates
-- One table and a plain predicate on kind, so that the rows are read in fetch-index order and
-- the LIMIT stops the scan: only the rows returned (and those skipped) are locked. A join to
-- JSON_TABLE here makes MariaDB sort every waiting row first, locking the whole queue, so that
-- concurrent fetchers skip it all and find nothing.
SELECT id FROM sluice_job
WHERE waiting_queue = :queue
  AND JSON_CONTAINS(:kinds, JSON_QUOTE(kind))
  AND run_at <= ${fragment.now}
ORDER BY priority DESC, run_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED

-- name: jobClaim
-- A join, not "id IN (SELECT … JSON_TABLE …)": MariaDB runs that as a dependent subquery over
-- a scan of the whole table, waiting on rows other fetchers hold, and deadlocks with them.
UPDATE sluice_job j
JOIN JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt ON j.id = jt.i
SET j.state = 'running', j.attempt = j.attempt + 1, j.lease_owner = :owner,
    j.lease_until = ${fragment.now} + :lease_ms, j.started_at = ${fragment.now}

-- name: jobGetClaimed
SELECT ${fragment.claimedColumns} FROM sluice_job
WHERE id IN (SELECT i FROM JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt)

-- name: jobGetMany
SELECT * FROM sluice_job
WHERE id IN (SELECT i FROM JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt)

-- name: jobFinishLock
-- The first half of a completion batch (MariaDB has no UPDATE ... RETURNING): locks, in id
-- order, the batch's jobs this node still runs, and says which attempt each is at and whether
-- its cancellation was asked. jobFinishMany then writes exactly those.
SELECT j.id, j.attempt, j.cancel_requested FROM sluice_job j
JOIN JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt ON j.id = jt.i
WHERE j.lease_owner = :owner AND j.state = 'running'
ORDER BY j.id
FOR UPDATE

-- name: jobFinishMany
-- The second half: every end whose attempt jobFinishLock confirmed, in one statement. The fence
-- is kept (owner, attempt, running), though the rows are locked since jobFinishLock.
UPDATE sluice_job j
JOIN JSON_TABLE(:rows, '$[*]' COLUMNS (
    id BIGINT PATH '$.id',
    attempt INT PATH '$.attempt',
    state VARCHAR(20) PATH '$.state',
    retry_delay_ms BIGINT PATH '$.retry_delay_ms',
    result LONGTEXT CHARACTER SET utf8mb4 PATH '$.result' NULL ON EMPTY,
    errors LONGTEXT CHARACTER SET utf8mb4 PATH '$.errors' NULL ON EMPTY)) AS u ON j.id = u.id
SET j.run_at = CASE WHEN u.state = 'retryable' AND j.cancel_requested = 0
                    THEN ${fragment.now} + u.retry_delay_ms ELSE j.run_at END,
    j.finished_at = CASE WHEN u.state = 'retryable' AND j.cancel_requested = 0 THEN NULL ELSE ${fragment.now} END,
    j.result = u.result, j.errors = COALESCE(u.errors, j.errors), j.lease_owner = NULL, j.lease_until = NULL,
    j.state = CASE WHEN j.cancel_requested = 1 THEN 'cancelled' ELSE u.state END
WHERE j.attempt = u.attempt AND j.lease_owner = :owner AND j.state = 'running'

-- name: jobFinish
UPDATE sluice_job
SET state = :state,
    run_at = CASE WHEN :state = 'retryable' THEN ${fragment.now} + :retry_delay_ms ELSE run_at END,
    finished_at = CASE WHEN :state = 'retryable' THEN NULL ELSE ${fragment.now} END,
    result = :result, errors = COALESCE(:errors, errors), lease_owner = NULL, lease_until = NULL
WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running' AND cancel_requested = 0

-- name: jobFinishCancelled
UPDATE sluice_job
SET state = 'cancelled', finished_at = ${fragment.now}, result = :result, errors = COALESCE(:errors, errors),
    lease_owner = NULL, lease_until = NULL
WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running' AND cancel_requested = 1

-- name: jobHandBack
-- Fenced on the attempt too: a job rescued and claimed again by the same node is a newer attempt.
UPDATE sluice_job
SET state = 'available', attempt = attempt - 1, run_at = ${fragment.now}, lease_owner = NULL, lease_until = NULL
WHERE id = :id AND attempt = :attempt AND lease_owner = :owner AND state = 'running'

-- name: jobRunningIds
-- A plain read (no locks) through the owner index, for jobRenewLeases: of the jobs the node
-- knows it runs (:ids), those leased to it with less than :within_ms left, so that a row is
-- rewritten every half lease or so rather than at every heartbeat. Only the known ones: a job
-- claimed but never handed to a worker would otherwise be kept from every other node for as
-- long as this one lives.
SELECT id FROM sluice_job
WHERE running_owner = :owner AND lease_until < ${fragment.now} + :within_ms
  AND id IN (SELECT i FROM JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt)
ORDER BY id

-- name: jobRenewLeases
-- By primary key in id order, as completions lock rows. Through the owner index it would lock
-- the index entry before the row, the reverse of a completion (row, then the index entry it
-- changes), and a node's renewal and its own completions would deadlock.
UPDATE sluice_job j
JOIN JSON_TABLE(:ids, '$[*]' COLUMNS (i BIGINT PATH '$')) AS jt ON j.id = jt.i
SET j.lease_until = ${fragment.now} + :lease_ms
WHERE j.lease_owner = :owner AND j.state = 'running'

-- name: jobCancelRequested
SELECT id FROM sluice_job WHERE running_owner = :owner AND cancel_requested = 1

-- name: jobLeasesHeld
-- What the heartbeat compares with the attempts running on the node: one that is missing here
-- lost its lease (rescued, or taken over) and is stopped.
SELECT id, attempt, cancel_requested FROM sluice_job WHERE running_owner = :owner

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
WHERE waiting_queue = :queue
  AND kind IN (SELECT k FROM JSON_TABLE(:kinds, '$[*]' COLUMNS (k VARCHAR(255) PATH '$')) AS jt)

-- name: jobWaitingKinds
SELECT DISTINCT kind FROM sluice_job WHERE waiting_queue IS NOT NULL ORDER BY kind

-- name: jobExpiredLeases
SELECT * FROM sluice_job WHERE running_owner IS NOT NULL AND lease_until < ${fragment.now} ORDER BY lease_until LIMIT :limit

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
