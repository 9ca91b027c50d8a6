-- Claims and completions that reach jobs through indexes only, however large the table.
-- Measured on a 20,000-job table: the claim's UPDATE joined the picked ids to the table with a
-- hash join over a sequential scan of every row (7 of 13 ms per claim of 400, growing with the
-- table), and the completion found its batch by a sequential scan filtered on id = ANY (4 of 15 ms,
-- 18 ms at 100,000 jobs): with estimates of hundreds of rows the planner prices one pass over the
-- table below hundreds of index probes. A queue visits a small part of a large table, so every
-- join here is a nested loop over the batch probing the primary key.
ALTER FUNCTION sluice_fetch(TEXT, TEXT[], INTEGER, TEXT, BIGINT) SET enable_hashjoin = off;
ALTER FUNCTION sluice_fetch(TEXT, TEXT[], INTEGER, TEXT, BIGINT) SET enable_mergejoin = off;

-- The completion of a batch, fenced on the owner's lease, the attempt and state 'running'; a job
-- whose cancellation was asked ends cancelled. The fence's owner and state come from per-row
-- arrays rather than constants: as constants they let the planner start from the index on running
-- jobs, which statistics from before a burst show as almost empty, and then scan the whole batch
-- for each of its (many, and many dead) entries; that took 1.6 s per batch of 400. Rows are written in the order of the arrays (the
-- caller sorts them by id, the order in which lease renewal locks rows). PL/pgSQL caches the plan
-- per connection, so a completion is not planned each time either.
CREATE FUNCTION sluice_finish(p_ids BIGINT[], p_attempts INTEGER[], p_states TEXT[], p_retry_delays BIGINT[],
                              p_results TEXT[], p_errors TEXT[], p_owner TEXT)
RETURNS TABLE (finished_id BIGINT, finished_attempt INTEGER, finished_state TEXT)
LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
    now_ms BIGINT := (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT;
BEGIN
    RETURN QUERY
    UPDATE sluice_job j
    SET state = CASE WHEN j.cancel_requested THEN 'cancelled' ELSE u.state END,
        run_at = CASE WHEN u.state = 'retryable' AND NOT j.cancel_requested
                      THEN now_ms + u.retry_delay_ms ELSE j.run_at END,
        finished_at = CASE WHEN u.state = 'retryable' AND NOT j.cancel_requested THEN NULL ELSE now_ms END,
        result = u.result, errors = COALESCE(u.errors, j.errors), lease_owner = NULL, lease_until = NULL
    FROM unnest(p_ids, p_attempts, p_states, p_retry_delays, p_results, p_errors,
                array_fill(p_owner, ARRAY[cardinality(p_ids)]), array_fill('running'::TEXT, ARRAY[cardinality(p_ids)]))
         AS u(id, attempt, state, retry_delay_ms, result, errors, owner, running)
    WHERE j.id = u.id AND j.attempt = u.attempt AND j.lease_owner = u.owner AND j.state = u.running
    RETURNING j.id, j.attempt, j.state;
END
$$;
