-- Recurring schedules. Times are epoch milliseconds on the database clock.
-- One row per schedule: what it enqueues, whether it is paused, and the next occurrence no node
-- has fired yet. Nodes advance next_run_at by compare-and-set, so one node fires each occurrence.
CREATE TABLE sluice_schedule (
    name             VARCHAR(200) NOT NULL PRIMARY KEY,
    definition       TEXT         NOT NULL,
    catch_up         VARCHAR(50)  NOT NULL,
    job_kind         VARCHAR(255) NOT NULL,
    job_queue        VARCHAR(100) NOT NULL,
    job_priority     INT          NOT NULL,
    job_payload      LONGTEXT     NULL,
    job_max_attempts INT          NOT NULL,
    paused           TINYINT(1)   NOT NULL DEFAULT 0,
    next_run_at      BIGINT       NULL,
    last_slot_at     BIGINT       NULL,
    last_run_at      BIGINT       NULL,
    last_job_id      BIGINT       NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
-- One row per occurrence that ran (origin 'schedule') or run triggered by hand (origin 'trigger'),
-- inserted in the transaction that enqueues its job: the key makes each occurrence run once.
CREATE TABLE sluice_schedule_slot (
    name       VARCHAR(200) NOT NULL,
    slot_at    BIGINT       NOT NULL,
    origin     VARCHAR(10)  NOT NULL,
    job_id     BIGINT       NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (name, slot_at, origin)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
