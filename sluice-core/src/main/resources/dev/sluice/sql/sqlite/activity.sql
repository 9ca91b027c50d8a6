-- Activity logs: what happened to a job or a batch, as logged by the application.

-- name: activityInsert
INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at)
VALUES (:job_id, :batch_id, :action, :message, :node, :logged_at)

-- name: activityListByJob
SELECT * FROM sluice_activity WHERE job_id = :job_id AND id > :after_id ORDER BY id LIMIT :limit

-- name: activityListByBatch
SELECT * FROM sluice_activity WHERE batch_id = :batch_id AND id > :after_id ORDER BY id LIMIT :limit
