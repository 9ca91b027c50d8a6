-- Jobs, nodes and leader leases. Times are epoch milliseconds on the database clock.
CREATE TABLE sluice_job (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind             VARCHAR(255) NOT NULL,
    queue            VARCHAR(100) NOT NULL,
    state            VARCHAR(20)  NOT NULL,
    priority         INT          NOT NULL DEFAULT 0,
    payload          LONGTEXT     NOT NULL,
    tags             TEXT         NOT NULL,
    attempt          INT          NOT NULL DEFAULT 0,
    max_attempts     INT          NOT NULL,
    run_at           BIGINT       NOT NULL,
    created_at       BIGINT       NOT NULL,
    started_at       BIGINT       NULL,
    finished_at      BIGINT       NULL,
    lease_owner      VARCHAR(100) NULL,
    lease_until      BIGINT       NULL,
    cancel_requested TINYINT(1)   NOT NULL DEFAULT 0,
    progress         DOUBLE       NULL,
    progress_message TEXT         NULL,
    result           LONGTEXT     NULL,
    errors           LONGTEXT     NOT NULL,
    -- MariaDB has no partial indexes: these columns are the queue (or owner) only while the job
    -- waits (or runs), so their indexes hold just the jobs the fetch and the lease loops look at.
    waiting_queue    VARCHAR(100) AS (CASE WHEN state IN ('available', 'scheduled', 'retryable') THEN queue END) STORED,
    running_owner    VARCHAR(100) AS (CASE WHEN state = 'running' THEN lease_owner END) STORED,
    INDEX sluice_job_fetch (waiting_queue, priority DESC, run_at, id),
    INDEX sluice_job_lease (running_owner),
    INDEX sluice_job_lease_until (state, lease_until),
    INDEX sluice_job_finished (finished_at),
    INDEX sluice_job_state (state, id),
    INDEX sluice_job_kind (kind, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE sluice_node (
    id           VARCHAR(100) NOT NULL PRIMARY KEY,
    host         VARCHAR(255) NOT NULL,
    kinds        TEXT         NOT NULL,
    queues       TEXT         NOT NULL,
    started_at   BIGINT       NOT NULL,
    heartbeat_at BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE sluice_leader (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    owner       VARCHAR(100) NOT NULL,
    lease_until BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
