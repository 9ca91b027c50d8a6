-- Activity logs of jobs and batches; the guard that applies each write-ahead log entry at most once.
CREATE TABLE sluice_activity (
    id        BIGSERIAL PRIMARY KEY,
    job_id    BIGINT,
    batch_id  BIGINT,
    action    TEXT   NOT NULL,
    message   TEXT   NOT NULL,
    node      TEXT,
    logged_at BIGINT NOT NULL,
    -- the write-ahead log entry id it came through (0 when written directly): entries logged in
    -- the same millisecond keep their order although parallel flush workers insert them
    seq       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sluice_activity_job ON sluice_activity (job_id, logged_at, seq, id) WHERE job_id IS NOT NULL;
CREATE INDEX sluice_activity_batch ON sluice_activity (batch_id, logged_at, seq, id) WHERE batch_id IS NOT NULL;
-- One row per applied entry of a log, kept until the log's checkpoint covers the entry.
CREATE TABLE sluice_wal_applied (
    log_id   BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    PRIMARY KEY (log_id, entry_id)
);
-- Per log: every entry up to pruned_through was applied, and its guard row is gone.
CREATE TABLE sluice_wal_log (
    log_id         BIGINT PRIMARY KEY,
    pruned_through BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
