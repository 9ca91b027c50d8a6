-- Fewer indexes on sluice_job. A state change is never a HOT update, so every index takes a new
-- entry for each version of a job (inserted, claimed, finished): six secondary indexes made an
-- insert of 5,000 jobs take about 90 ms on the server and doubled the work of every claim and
-- completion. Listing by state or kind now walks the primary key backwards (newest first, which
-- is the order lists use), and one index on running jobs serves both lease renewal (by owner)
-- and rescue (the running set is small, scanned whole).
DROP INDEX sluice_job_state;
DROP INDEX sluice_job_kind;
DROP INDEX sluice_job_lease;
DROP INDEX sluice_job_lease_until;
CREATE INDEX sluice_job_running ON sluice_job (lease_owner, lease_until) WHERE state = 'running';
-- Autovacuum after 1 % of the rows changed rather than 20 %: a queue table turns over quickly,
-- and fresh statistics keep the planner on the indexes above.
ALTER TABLE sluice_job SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01);
