-- The claim of due jobs as a function, so that its plan can neither be a bitmap scan nor a sort.
-- A queue table fills in bursts, and PostgreSQL plans with statistics from before the burst: a
-- cached generic plan chosen on an almost empty table (bitmap scan of the fetch index, then a
-- sort of every waiting job) took 75-95 ms per claim once 100,000 jobs waited, until the next
-- ANALYZE. Planning every claim afresh avoided that but cost ~1 ms of server time per claim,
-- which at 500 claims a second of one job each doubled the enqueue-to-start tail. Here PL/pgSQL
-- caches the plan per connection, and with bitmap scans and sorts disabled for this function
-- only, the single plan left is the ordered scan of the fetch index that stops at the limit.
-- The claim commits without waiting for its WAL flush: a claim lost in a server crash only makes
-- the job available again, which at-least-once allows, and the next synchronous commit (a
-- completion) flushes it.
CREATE FUNCTION sluice_fetch(p_queue TEXT, p_kinds TEXT[], p_limit INTEGER, p_owner TEXT, p_lease_ms BIGINT)
RETURNS SETOF sluice_job
LANGUAGE plpgsql
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
DECLARE
    now_ms BIGINT := (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    RETURN QUERY
    WITH picked AS (
        SELECT s.id FROM sluice_job s
        WHERE s.state IN ('available', 'scheduled', 'retryable')
          AND s.queue = p_queue
          AND s.kind = ANY(p_kinds)
          AND s.run_at <= now_ms
        ORDER BY s.priority DESC, s.run_at, s.id
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), claimed AS (
        UPDATE sluice_job j
        SET state = 'running', attempt = j.attempt + 1, lease_owner = p_owner,
            lease_until = now_ms + p_lease_ms, started_at = now_ms
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.*
    )
    SELECT * FROM claimed;
END
$$;
