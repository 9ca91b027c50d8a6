-- Keys (newest waiting job of a key wins), streams (one at a time, in order), locks, rate limits.
ALTER TABLE sluice_job ADD COLUMN job_key TEXT;
ALTER TABLE sluice_job ADD COLUMN stream TEXT;
ALTER TABLE sluice_job ADD COLUMN stream_limit INTEGER NOT NULL DEFAULT 1;
CREATE INDEX sluice_job_key_waiting ON sluice_job (job_key)
    WHERE job_key IS NOT NULL AND state IN ('blocked', 'available', 'scheduled', 'retryable');
-- Two small indexes rather than one: finding a stream's next blocked job and counting its active
-- ones are then each a short range scan, whatever the stream's backlog.
CREATE INDEX sluice_job_stream_blocked ON sluice_job (stream, id)
    WHERE stream IS NOT NULL AND state = 'blocked';
CREATE INDEX sluice_job_stream_active ON sluice_job (stream)
    WHERE stream IS NOT NULL AND state IN ('available', 'scheduled', 'retryable', 'running');
CREATE TABLE sluice_lock (
    name       TEXT    PRIMARY KEY,
    touched_at INTEGER NOT NULL
);
CREATE TABLE sluice_rate_start (
    name       TEXT    NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE INDEX sluice_rate_start_name ON sluice_rate_start (name, started_at);
