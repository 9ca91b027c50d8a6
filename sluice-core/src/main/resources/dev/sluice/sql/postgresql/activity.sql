-- Activity logs: what happened to a job or a batch, as logged by the application. Listed in the
-- order they were logged: (logged_at, seq, id), paged by that key.

-- name: activityInsert
INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at, seq)
VALUES (:job_id, :batch_id, :action, :message, :node, :logged_at, :seq)

-- name: activityListByJob
SELECT * FROM sluice_activity
WHERE job_id = :job_id AND (logged_at, seq, id) > (CAST(:after_at AS BIGINT), CAST(:after_seq AS BIGINT), CAST(:after_id AS BIGINT))
ORDER BY logged_at, seq, id
LIMIT :limit

-- name: activityListByBatch
SELECT * FROM sluice_activity
WHERE batch_id = :batch_id AND (logged_at, seq, id) > (CAST(:after_at AS BIGINT), CAST(:after_seq AS BIGINT), CAST(:after_id AS BIGINT))
ORDER BY logged_at, seq, id
LIMIT :limit

-- name: activityCopy
-- The write-ahead log's flush streams activity rows in PostgreSQL's binary COPY format
-- (PostgresActivityCopy): no array literals to build and parse, no per-row statement.
COPY sluice_activity (job_id, batch_id, action, message, node, logged_at, seq) FROM STDIN (FORMAT binary)
