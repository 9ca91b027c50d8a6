-- Activity logs: what happened to a job or a batch, as logged by the application. Listed in the
-- order they were logged: (logged_at, seq, id), paged by that key.

-- name: activityInsert
INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at, seq)
VALUES (:job_id, :batch_id, :action, :message, :node, :logged_at, :seq)

-- name: activityListByJob
SELECT * FROM sluice_activity
WHERE job_id = :job_id AND (logged_at, seq, id) > (:after_at, :after_seq, :after_id)
ORDER BY logged_at, seq, id
LIMIT :limit

-- name: activityListByBatch
SELECT * FROM sluice_activity
WHERE batch_id = :batch_id AND (logged_at, seq, id) > (:after_at, :after_seq, :after_id)
ORDER BY logged_at, seq, id
LIMIT :limit
