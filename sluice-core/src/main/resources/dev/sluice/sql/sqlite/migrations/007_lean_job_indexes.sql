-- Fewer indexes on sluice_job. Every job changes state three times (inserted, claimed,
-- finished), and each change rewrites its entry in every index on state or on a column the change
-- sets: with six secondary indexes SQLite spent most of a drain updating index b-trees. Listing by state or kind now walks the primary key backwards (newest first, which
-- is the order lists use), and one index on running jobs serves both lease renewal (by owner)
-- and rescue (the running set is small, scanned whole).
DROP INDEX sluice_job_state;
DROP INDEX sluice_job_kind;
DROP INDEX sluice_job_lease;
DROP INDEX sluice_job_lease_until;
CREATE INDEX sluice_job_running ON sluice_job (lease_owner, lease_until) WHERE state = 'running';
