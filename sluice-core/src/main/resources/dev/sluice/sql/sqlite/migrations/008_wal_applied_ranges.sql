-- The write-ahead log's guard keeps one row per range of consecutive entry ids applied in one
-- transaction instead of one row per entry (a flush transaction of 1,000 entries wrote 1,000
-- guard rows). Ranges of one log never overlap: see JdbcWalStore for why.
CREATE TABLE sluice_wal_applied_range (
    log_id   INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL,
    PRIMARY KEY (log_id, last_id)
) WITHOUT ROWID;
-- Guard rows not pruned yet become ranges of one entry, so that a replay after the upgrade still
-- recognises them.
INSERT INTO sluice_wal_applied_range (log_id, first_id, last_id)
SELECT log_id, entry_id, entry_id FROM sluice_wal_applied;
DROP TABLE sluice_wal_applied;
-- How many times the log was opened: every flush transaction checks it under a share lock of the
-- log's row, and opening takes that row exclusively, so a new owner of a log waits for the
-- transactions of the previous one and those can never start again.
ALTER TABLE sluice_wal_log ADD COLUMN opened INTEGER NOT NULL DEFAULT 0;
