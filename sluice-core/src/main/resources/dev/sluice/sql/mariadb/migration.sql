-- name: migrationLock
SELECT GET_LOCK('sluice_migrate', 300)

-- name: migrationUnlock
SELECT RELEASE_LOCK('sluice_migrate')

-- name: migrationCreateTable
CREATE TABLE IF NOT EXISTS sluice_migration (
    version    INT          NOT NULL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL,
    applied_at BIGINT       NOT NULL
) ENGINE = InnoDB

-- name: migrationListApplied
SELECT version FROM sluice_migration ORDER BY version

-- name: migrationRecord
INSERT INTO sluice_migration (version, name, applied_at)
VALUES (:version, :name, CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED))
