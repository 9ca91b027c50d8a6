-- name: fragment.now
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: scheduleUpsert
-- A changed definition starts over from its own next time instead of catching up on the old one's.
-- MariaDB applies the assignments left to right: next_run_at compares the definition before it changes.
INSERT INTO sluice_schedule (name, definition, catch_up, job_kind, job_queue, job_priority, job_payload,
                             job_max_attempts, paused, next_run_at, created_at, updated_at)
VALUES (:name, :definition, :catch_up, :kind, :queue, :priority, :payload, :max_attempts, 0, :next_run_at,
        ${fragment.now}, ${fragment.now})
ON DUPLICATE KEY UPDATE
    next_run_at = IF(definition = VALUES(definition), next_run_at, VALUES(next_run_at)),
    definition = VALUES(definition), catch_up = VALUES(catch_up), job_kind = VALUES(job_kind),
    job_queue = VALUES(job_queue), job_priority = VALUES(job_priority), job_payload = VALUES(job_payload),
    job_max_attempts = VALUES(job_max_attempts), updated_at = VALUES(updated_at)

-- name: scheduleList
SELECT * FROM sluice_schedule ORDER BY name

-- name: scheduleGet
SELECT * FROM sluice_schedule WHERE name = :name

-- name: scheduleAdvance
-- Compare-and-set: of the nodes that saw the same next_run_at, one moves it on and fires.
UPDATE sluice_schedule
SET next_run_at = :next_run_at, last_slot_at = COALESCE(:last_slot_at, last_slot_at), updated_at = ${fragment.now}
WHERE name = :name AND next_run_at = :expected_next_run_at AND paused = 0 AND definition = :definition

-- name: scheduleSlotInsert
-- IGNORE only skips the duplicate key here: every other value is checked before it gets this far.
INSERT IGNORE INTO sluice_schedule_slot (name, slot_at, origin, created_at)
VALUES (:name, :slot_at, :origin, ${fragment.now})

-- name: scheduleSlotSetJob
UPDATE sluice_schedule_slot SET job_id = :job_id WHERE name = :name AND slot_at = :slot_at AND origin = :origin

-- name: scheduleRecordRun
UPDATE sluice_schedule SET last_run_at = ${fragment.now}, last_job_id = :job_id, updated_at = ${fragment.now}
WHERE name = :name

-- name: schedulePause
UPDATE sluice_schedule SET paused = 1, updated_at = ${fragment.now} WHERE name = :name AND paused = 0

-- name: scheduleResume
UPDATE sluice_schedule SET paused = 0, next_run_at = :next_run_at, updated_at = ${fragment.now}
WHERE name = :name AND paused = 1

-- name: scheduleSlotPrune
DELETE FROM sluice_schedule_slot WHERE name = :name AND created_at < ${fragment.now} - :retention_ms
