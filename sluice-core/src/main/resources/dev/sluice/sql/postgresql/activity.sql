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

-- name: activityInsertMany
INSERT INTO sluice_activity (job_id, batch_id, action, message, node, logged_at, seq)
SELECT u.job_id, u.batch_id, u.action, u.message, u.node, u.logged_at, u.seq
FROM unnest(CAST(:job_ids AS BIGINT[]), CAST(:batch_ids AS BIGINT[]), CAST(:actions AS TEXT[]),
            CAST(:messages AS TEXT[]), CAST(:nodes AS TEXT[]), CAST(:logged_ats AS BIGINT[]),
            CAST(:seqs AS BIGINT[]))
     WITH ORDINALITY AS u(job_id, batch_id, action, message, node, logged_at, seq, ord)
ORDER BY u.ord
