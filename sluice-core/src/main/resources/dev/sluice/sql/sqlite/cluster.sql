-- name: fragment.now
CAST(unixepoch('subsec') * 1000 AS INTEGER)

-- name: nodeHeartbeat
INSERT INTO sluice_node (id, host, kinds, queues, started_at, heartbeat_at)
VALUES (:id, :host, :kinds, :queues, ${fragment.now}, ${fragment.now})
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, kinds = excluded.kinds, queues = excluded.queues

-- name: nodeDelete
DELETE FROM sluice_node WHERE id = :id

-- name: nodeListLive
SELECT * FROM sluice_node WHERE heartbeat_at > ${fragment.now} - :ttl_ms ORDER BY started_at

-- name: nodePruneDead
DELETE FROM sluice_node WHERE heartbeat_at <= ${fragment.now} - :ttl_ms

-- name: leaderAttemptElect
INSERT INTO sluice_leader (name, owner, lease_until)
VALUES (:name, :owner, ${fragment.now} + :ttl_ms)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
WHERE sluice_leader.lease_until < ${fragment.now} OR sluice_leader.owner = excluded.owner

-- name: leaderGetOwner
SELECT owner FROM sluice_leader WHERE name = :name

-- name: leaderResign
DELETE FROM sluice_leader WHERE name = :name AND owner = :owner
