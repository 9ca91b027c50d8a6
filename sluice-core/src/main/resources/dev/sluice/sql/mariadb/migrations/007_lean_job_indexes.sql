-- Fewer indexes on sluice_job: every index takes a write for each version of a job (inserted,
-- claimed, finished), and six secondary indexes doubled the work of every insert, claim and
-- completion. Listing by state or kind now walks the primary key backwards (newest first, which
-- is the order lists use), and one index on running jobs serves both lease renewal (by owner)
-- and rescue (running_owner is NULL for every job that does not run, so the running set is one
-- short range).
ALTER TABLE sluice_job
    DROP INDEX sluice_job_state,
    DROP INDEX sluice_job_kind,
    DROP INDEX sluice_job_lease,
    DROP INDEX sluice_job_lease_until,
    ADD INDEX sluice_job_running (running_owner, lease_until);
