-- Jobs, nodes and leader leases. Times are epoch milliseconds on the database clock.
CREATE TABLE sluice_job (
    id               BIGSERIAL PRIMARY KEY,
    kind             TEXT             NOT NULL,
    queue            TEXT             NOT NULL,
    state            TEXT             NOT NULL,
    priority         INTEGER          NOT NULL DEFAULT 0,
    payload          TEXT             NOT NULL,
    tags             TEXT             NOT NULL DEFAULT '[]',
    attempt          INTEGER          NOT NULL DEFAULT 0,
    max_attempts     INTEGER          NOT NULL,
    run_at           BIGINT           NOT NULL,
    created_at       BIGINT           NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    lease_owner      TEXT,
    lease_until      BIGINT,
    cancel_requested BOOLEAN          NOT NULL DEFAULT FALSE,
    progress         DOUBLE PRECISION,
    progress_message TEXT,
    result           TEXT,
    errors           TEXT             NOT NULL DEFAULT '[]'
);
-- Only waiting jobs are in the fetch index, so it stays small however many jobs finished.
CREATE INDEX sluice_job_fetch ON sluice_job (queue, priority DESC, run_at, id)
    WHERE state IN ('available', 'scheduled', 'retryable');
CREATE INDEX sluice_job_lease ON sluice_job (lease_owner) WHERE state = 'running';
CREATE INDEX sluice_job_lease_until ON sluice_job (lease_until) WHERE state = 'running';
CREATE INDEX sluice_job_finished ON sluice_job (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX sluice_job_state ON sluice_job (state, id);
CREATE INDEX sluice_job_kind ON sluice_job (kind, id);
CREATE TABLE sluice_node (
    id           TEXT   PRIMARY KEY,
    host         TEXT   NOT NULL,
    kinds        TEXT   NOT NULL,
    queues       TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
CREATE TABLE sluice_leader (
    name        TEXT   PRIMARY KEY,
    owner       TEXT   NOT NULL,
    lease_until BIGINT NOT NULL
);
