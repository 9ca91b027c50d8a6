-- Keys (newest waiting job of a key wins), streams (one at a time, in order), locks, rate limits.
-- As in 001, stored generated columns stand in for the partial indexes MariaDB lacks.
ALTER TABLE sluice_job
    ADD COLUMN job_key       VARCHAR(255) NULL,
    ADD COLUMN stream        VARCHAR(255) NULL,
    ADD COLUMN stream_limit  INT          NOT NULL DEFAULT 1,
    ADD COLUMN waiting_key   VARCHAR(255) AS (CASE WHEN state IN ('blocked', 'available', 'scheduled', 'retryable') THEN job_key END) STORED,
    ADD COLUMN active_stream VARCHAR(255) AS (CASE WHEN state IN ('blocked', 'available', 'scheduled', 'retryable', 'running') THEN stream END) STORED,
    ADD INDEX sluice_job_key_waiting (waiting_key),
    ADD INDEX sluice_job_stream_active (active_stream, state, id);
CREATE TABLE sluice_lock (
    name       VARCHAR(600) NOT NULL PRIMARY KEY,
    touched_at BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE sluice_rate_start (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(300) NOT NULL,
    started_at BIGINT       NOT NULL,
    INDEX sluice_rate_start_name (name, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
