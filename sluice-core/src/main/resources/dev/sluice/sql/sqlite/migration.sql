-- name: migrationLock
SELECT 1

-- name: migrationUnlock
SELECT 1

-- name: migrationCreateTable
CREATE TABLE IF NOT EXISTS sluice_migration (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
)

-- name: migrationListApplied
SELECT version FROM sluice_migration ORDER BY version

-- name: migrationRecord
INSERT INTO sluice_migration (version, name, applied_at)
VALUES (:version, :name, CAST(unixepoch('subsec') * 1000 AS INTEGER))
