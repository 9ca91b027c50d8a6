-- Activity logs: what happened to a job or a batch, as logged by the application.

-- name: activityInsert
INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at)
VALUES (:job_id, :batch_id, :action, :message, :node, :logged_at)

-- name: activityListByJob
SELECT * FROM sluice_activity WHERE job_id = :job_id AND id > :after_id ORDER BY id LIMIT :limit

-- name: activityListByBatch
SELECT * FROM sluice_activity WHERE batch_id = :batch_id AND id > :after_id ORDER BY id LIMIT :limit

-- name: activityInsertMany
INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at)
SELECT u.job_id, u.batch_id, u.action, u.message, u.node, u.logged_at
FROM unnest(CAST(:job_ids AS BIGINT[]), CAST(:batch_ids AS BIGINT[]), CAST(:actions AS TEXT[]),
            CAST(:messages AS TEXT[]), CAST(:nodes AS TEXT[]), CAST(:logged_ats AS BIGINT[]))
     WITH ORDINALITY AS u(job_id, batch_id, action, message, node, logged_at, ord)
ORDER BY u.ord
