-- Activity logs of jobs and batches; the guard that applies each write-ahead log entry at most once.
CREATE TABLE sluice_activity (
    id        BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id    BIGINT       NULL,
    batch_id  BIGINT       NULL,
    action    VARCHAR(100) NOT NULL,
    message   MEDIUMTEXT   NOT NULL,
    node      VARCHAR(100) NULL,
    logged_at BIGINT       NOT NULL,
    -- the write-ahead log entry id it came through (0 when written directly): entries logged in
    -- the same millisecond keep their order although parallel flush workers insert them
    seq       BIGINT       NOT NULL DEFAULT 0,
    INDEX sluice_activity_job (job_id, logged_at, seq, id),
    INDEX sluice_activity_batch (batch_id, logged_at, seq, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
-- One row per applied entry of a log, kept until the log's checkpoint covers the entry.
CREATE TABLE sluice_wal_applied (
    log_id   BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    PRIMARY KEY (log_id, entry_id)
) ENGINE = InnoDB;
-- Per log: every entry up to pruned_through was applied, and its guard row is gone.
CREATE TABLE sluice_wal_log (
    log_id         BIGINT NOT NULL PRIMARY KEY,
    pruned_through BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
) ENGINE = InnoDB;
