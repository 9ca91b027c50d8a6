-- name: fragment.now
(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT

-- name: scheduleUpsert
-- A changed definition starts over from its own next time instead of catching up on the old one's.
INSERT INTO sluice_schedule (name, definition, catch_up, job_kind, job_queue, job_priority, job_payload,
                             job_max_attempts, paused, next_run_at, created_at, updated_at)
VALUES (:name, :definition, :catch_up, :kind, :queue, :priority, :payload, :max_attempts, FALSE, :next_run_at,
        ${fragment.now}, ${fragment.now})
ON CONFLICT (name) DO UPDATE SET
    next_run_at = CASE WHEN sluice_schedule.definition = excluded.definition
                       THEN sluice_schedule.next_run_at ELSE excluded.next_run_at END,
    definition = excluded.definition, catch_up = excluded.catch_up, job_kind = excluded.job_kind,
    job_queue = excluded.job_queue, job_priority = excluded.job_priority, job_payload = excluded.job_payload,
    job_max_attempts = excluded.job_max_attempts, updated_at = excluded.updated_at

-- name: scheduleList
SELECT * FROM sluice_schedule ORDER BY name

-- name: scheduleGet
SELECT * FROM sluice_schedule WHERE name = :name

-- name: scheduleAdvance
-- Compare-and-set: of the nodes that saw the same next_run_at, one moves it on and fires.
UPDATE sluice_schedule
SET next_run_at = :next_run_at, last_slot_at = COALESCE(:last_slot_at, last_slot_at), updated_at = ${fragment.now}
WHERE name = :name AND next_run_at = :expected_next_run_at AND paused = FALSE AND definition = :definition

-- name: scheduleSlotInsert
INSERT INTO sluice_schedule_slot (name, slot_at, origin, created_at)
VALUES (:name, :slot_at, :origin, ${fragment.now})
ON CONFLICT DO NOTHING

-- name: scheduleSlotSetJob
UPDATE sluice_schedule_slot SET job_id = :job_id WHERE name = :name AND slot_at = :slot_at AND origin = :origin

-- name: scheduleRecordRun
UPDATE sluice_schedule SET last_run_at = ${fragment.now}, last_job_id = :job_id, updated_at = ${fragment.now}
WHERE name = :name

-- name: schedulePause
UPDATE sluice_schedule SET paused = TRUE, updated_at = ${fragment.now} WHERE name = :name AND paused = FALSE

-- name: scheduleResume
UPDATE sluice_schedule SET paused = FALSE, next_run_at = :next_run_at, updated_at = ${fragment.now}
WHERE name = :name AND paused = TRUE

-- name: scheduleSlotPrune
DELETE FROM sluice_schedule_slot WHERE name = :name AND created_at < ${fragment.now} - CAST(:retention_ms AS BIGINT)
