-- BufferedQueue's stored batches: one encoded batch of items per row, taken by workers highest
-- priority first, then oldest first. Times are epoch milliseconds on the database clock.
-- state is 'ready', 'taken' (owner holds a lease until due_at) or 'failed' (attempts exhausted).
-- due_at is when any worker may take the row: ready from then, a lease that expires then, a
-- failed batch's cool-down end, or NULL for a failed batch parked until retried by hand.
CREATE TABLE sluice_buffer_batch (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    queue      VARCHAR(100) NOT NULL,
    priority   INT          NOT NULL DEFAULT 0,
    state      VARCHAR(20)  NOT NULL,
    payload    LONGBLOB     NOT NULL,
    items      INT          NOT NULL,
    attempts   INT          NOT NULL DEFAULT 0,
    due_at     BIGINT       NULL,
    owner      VARCHAR(100) NULL,
    last_error TEXT         NULL,
    created_at BIGINT       NOT NULL,
    INDEX sluice_buffer_batch_take (queue, priority DESC, id, due_at),
    INDEX sluice_buffer_batch_owner (owner),
    INDEX sluice_buffer_batch_state (queue, state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
