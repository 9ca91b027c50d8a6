-- Keys, streams and rate limits. Every statement here runs under the lock of its key, stream or
-- rate (lockAcquire), in the transaction of the enqueue, completion or fetch it belongs to.

-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

-- name: lockAcquire
-- A transaction-scoped advisory lock: no rows to clean up, released at commit or rollback.
SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))

-- name: lockPrune
DELETE FROM sluice_lock WHERE touched_at < ${fragment.now} - CAST(:age_ms AS BIGINT)

-- name: jobKeyWaiting
SELECT id, stream, state FROM sluice_job
WHERE job_key = :key AND state IN ('blocked', 'available', 'scheduled', 'retryable')
ORDER BY id

-- name: jobSupersede
UPDATE sluice_job SET state = 'superseded', finished_at = ${fragment.now}
WHERE id = :id AND state IN ('blocked', 'available', 'scheduled', 'retryable')

-- name: jobStreamActiveCount
SELECT COUNT(*) FROM sluice_job
WHERE stream = :stream AND state IN ('available', 'scheduled', 'retryable', 'running')

-- name: jobStreamBlockedHead
SELECT id, stream_limit FROM sluice_job WHERE stream = :stream AND state = 'blocked' ORDER BY id LIMIT 1

-- name: jobStreamPromote
UPDATE sluice_job SET state = CASE WHEN run_at > ${fragment.now} THEN 'scheduled' ELSE 'available' END
WHERE id = :id AND state = 'blocked'

-- name: jobBlock
UPDATE sluice_job SET state = 'blocked' WHERE id = :id AND state IN ('available', 'scheduled')

-- name: jobStreamOf
SELECT stream, stream_limit FROM sluice_job WHERE id = :id

-- name: jobStreamsStalled
-- Streams with blocked jobs and none active (the leader's safety net). The streams are found by
-- skipping through the blocked-jobs index one stream at a time (a recursive loose index scan):
-- reading every blocked job took 270 ms with 50,000 of them waiting, every maintenance interval.
WITH RECURSIVE blocked(stream) AS (
    SELECT (SELECT b.stream FROM sluice_job b
            WHERE b.stream IS NOT NULL AND b.state = 'blocked' ORDER BY b.stream LIMIT 1)
    UNION ALL
    SELECT (SELECT b.stream FROM sluice_job b
            WHERE b.stream IS NOT NULL AND b.state = 'blocked' AND b.stream > blocked.stream
            ORDER BY b.stream LIMIT 1)
    FROM blocked WHERE blocked.stream IS NOT NULL
)
SELECT blocked.stream FROM blocked
WHERE blocked.stream IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM sluice_job a WHERE a.stream = blocked.stream
                  AND a.state IN ('available', 'scheduled', 'retryable', 'running'))
LIMIT :limit

-- name: rateCount
SELECT COUNT(*) FROM sluice_rate_start WHERE name = :name AND started_at > ${fragment.now} - CAST(:period_ms AS BIGINT)

-- name: rateRecord
INSERT INTO sluice_rate_start (name, started_at) VALUES (:name, ${fragment.now})

-- name: ratePrune
DELETE FROM sluice_rate_start WHERE name = :name AND started_at <= ${fragment.now} - CAST(:period_ms AS BIGINT)

-- name: streamLockMany
SELECT pg_advisory_xact_lock(hashtextextended('stream:' || s, 0))
FROM (SELECT DISTINCT s FROM unnest(CAST(:streams AS TEXT[])) AS u(s) ORDER BY s) AS sorted

-- name: jobStreamPromoteHeadsClaiming
-- One statement for a whole completion batch: the oldest blocked job of each stream, where the
-- stream has room. Called again while it promotes, for streams whose limit is above one. A
-- promoted job that is due and whose (queue, kind) is among the :local_ pairs is claimed for
-- :owner at once (running, attempt + 1, leased), in the transaction that ended its predecessor,
-- so that the node runs it without a fetch; with no pairs (nothing to claim) every promoted job
-- is left for the fetch. Returns j.* (whole, for a claimed job), the stream's limit (only
-- streams that may take more than one job are looked at again) and whether the job was claimed
-- (the queues of the others are notified).
-- The heads are picked in a MATERIALIZED CTE: as a subquery PostgreSQL flattened them into the
-- UPDATE and evaluated the claim test (a sub-plan over the local pairs) once for every place that
-- uses it, six per row.
WITH head AS MATERIALIZED (
    SELECT h.id, h.stream_limit, clock.now_ms,
           h.run_at <= clock.now_ms AND EXISTS (
               SELECT 1 FROM unnest(CAST(:local_queues AS TEXT[]), CAST(:local_kinds AS TEXT[])) AS l(queue, kind)
               WHERE l.queue = h.queue AND l.kind = h.kind) AS claim
    FROM (SELECT DISTINCT s FROM unnest(CAST(:streams AS TEXT[])) AS u(s)) AS streams
    CROSS JOIN (SELECT ${fragment.now} AS now_ms) AS clock
    CROSS JOIN LATERAL (
        SELECT b.id, b.stream_limit, b.run_at, b.queue, b.kind FROM sluice_job b
        WHERE b.stream = streams.s AND b.state = 'blocked'
        ORDER BY b.id LIMIT 1
    ) AS h
    -- Counts at most stream_limit active jobs, through a plain index scan that stops there: a
    -- bitmap scan would visit every dead version of the stream's earlier jobs in the heap.
    WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM sluice_job a
           WHERE a.stream = streams.s AND a.state IN ('available', 'scheduled', 'retryable', 'running')
           LIMIT h.stream_limit) AS active) < h.stream_limit
)
UPDATE sluice_job j
SET state = CASE WHEN head.claim THEN 'running' WHEN j.run_at > head.now_ms THEN 'scheduled' ELSE 'available' END,
    attempt = j.attempt + CASE WHEN head.claim THEN 1 ELSE 0 END,
    lease_owner = CASE WHEN head.claim THEN CAST(:owner AS TEXT) END,
    lease_until = CASE WHEN head.claim THEN head.now_ms + CAST(:lease_ms AS BIGINT) END,
    started_at = CASE WHEN head.claim THEN head.now_ms ELSE j.started_at END
FROM head
WHERE j.id = head.id
RETURNING j.*, head.stream_limit AS promoted_stream_limit, head.claim AS promoted_claimed
