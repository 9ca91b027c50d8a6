-- Recurring schedules. Times are epoch milliseconds on the database clock.
-- One row per schedule: what it enqueues, whether it is paused, and the next occurrence no node
-- has fired yet. Nodes advance next_run_at by compare-and-set, so one node fires each occurrence.
CREATE TABLE sluice_schedule (
    name             TEXT    PRIMARY KEY,
    definition       TEXT    NOT NULL,
    catch_up         TEXT    NOT NULL,
    job_kind         TEXT    NOT NULL,
    job_queue        TEXT    NOT NULL,
    job_priority     INTEGER NOT NULL,
    job_payload      TEXT,
    job_max_attempts INTEGER NOT NULL,
    paused           BOOLEAN NOT NULL DEFAULT FALSE,
    next_run_at      BIGINT,
    last_slot_at     BIGINT,
    last_run_at      BIGINT,
    last_job_id      BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
-- One row per occurrence that ran (origin 'schedule') or run triggered by hand (origin 'trigger'),
-- inserted in the transaction that enqueues its job: the key makes each occurrence run once.
CREATE TABLE sluice_schedule_slot (
    name       TEXT   NOT NULL,
    slot_at    BIGINT NOT NULL,
    origin     TEXT   NOT NULL,
    job_id     BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (name, slot_at, origin)
);
