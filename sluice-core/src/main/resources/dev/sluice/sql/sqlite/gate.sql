-- Keys, streams and rate limits. Every statement here runs under the lock of its key, stream or
-- rate (lockAcquire), in the transaction of the enqueue, completion or fetch it belongs to.

-- name: fragment.now
CAST(unixepoch('subsec') * 1000 AS INTEGER)

-- name: lockAcquire
-- SQLite has one writer at a time, so the write itself is the lock; the row is kept for symmetry.
INSERT INTO sluice_lock (name, touched_at) VALUES (:name, ${fragment.now})
ON CONFLICT (name) DO UPDATE SET touched_at = excluded.touched_at

-- name: lockPrune
DELETE FROM sluice_lock WHERE touched_at < ${fragment.now} - :age_ms

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
SELECT COUNT(*) FROM sluice_rate_start WHERE name = :name AND started_at > ${fragment.now} - :period_ms

-- name: rateRecord
INSERT INTO sluice_rate_start (name, started_at) VALUES (:name, ${fragment.now})

-- name: ratePrune
DELETE FROM sluice_rate_start WHERE name = :name AND started_at <= ${fragment.now} - :period_ms
