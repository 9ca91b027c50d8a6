-- name: fragment.now
CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)

-- name: nodeHeartbeat
INSERT INTO sluice_node (id, host, kinds, queues, started_at, heartbeat_at)
VALUES (:id, :host, :kinds, :queues, ${fragment.now}, ${fragment.now})
ON DUPLICATE KEY UPDATE heartbeat_at = VALUES(heartbeat_at), kinds = VALUES(kinds), queues = VALUES(queues)

-- name: nodeDelete
DELETE FROM sluice_node WHERE id = :id

-- name: nodeListLive
SELECT * FROM sluice_node WHERE heartbeat_at > ${fragment.now} - :ttl_ms ORDER BY started_at

-- name: nodePruneDead
DELETE FROM sluice_node WHERE heartbeat_at <= ${fragment.now} - :ttl_ms

-- name: leaderAttemptElect
-- MariaDB applies the assignments left to right, so lease_until sees the owner just written.
INSERT INTO sluice_leader (name, owner, lease_until)
VALUES (:name, :owner, ${fragment.now} + :ttl_ms)
ON DUPLICATE KEY UPDATE
    owner = IF(lease_until < ${fragment.now} OR owner = VALUES(owner), VALUES(owner), owner),
    lease_until = IF(owner = VALUES(owner), VALUES(lease_until), lease_until)

-- name: leaderGetOwner
SELECT owner FROM sluice_leader WHERE name = :name

-- name: leaderResign
DELETE FROM sluice_leader WHERE name = :name AND owner = :owner
