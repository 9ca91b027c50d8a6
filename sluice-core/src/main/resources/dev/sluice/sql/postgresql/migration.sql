-- name: migrationLock
SELECT pg_advisory_lock(73910001)

-- name: migrationUnlock
SELECT pg_advisory_unlock(73910001)

-- name: migrationCreateTable
CREATE TABLE IF NOT EXISTS sluice_migration (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at BIGINT  NOT NULL
)

-- name: migrationListApplied
SELECT version FROM sluice_migration ORDER BY version

-- name: migrationRecord
INSERT INTO sluice_migration (version, name, applied_at)
VALUES (:version, :name, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT)
