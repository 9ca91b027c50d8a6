-- BufferedQueue's stored batches: one encoded batch of items per row, taken by workers highest
-- priority first, then oldest first. Times are epoch milliseconds on the database clock.
-- state is 'ready', 'taken' (owner holds a lease until due_at) or 'failed' (attempts exhausted).
-- due_at is when any worker may take the row: ready from then, a lease that expires then, a
-- failed batch's cool-down end, or NULL for a failed batch parked until retried by hand.
CREATE TABLE sluice_buffer_batch (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    queue      TEXT    NOT NULL,
    priority   INTEGER NOT NULL DEFAULT 0,
    state      TEXT    NOT NULL,
    payload    BLOB    NOT NULL,
    items      INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    due_at     INTEGER,
    owner      TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL
);
-- Parked batches have no due_at and never appear in the take index.
CREATE INDEX sluice_buffer_batch_take ON sluice_buffer_batch (queue, priority DESC, id, due_at)
    WHERE due_at IS NOT NULL;
CREATE INDEX sluice_buffer_batch_owner ON sluice_buffer_batch (owner) WHERE state = 'taken';
CREATE INDEX sluice_buffer_batch_state ON sluice_buffer_batch (queue, state);
