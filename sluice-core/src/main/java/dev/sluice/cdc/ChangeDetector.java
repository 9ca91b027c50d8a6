package dev.sluice.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.job.JobRequest;
import dev.sluice.runtime.JobEnqueuer;
import dev.sluice.store.CdcStore;
import dev.sluice.store.NewJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a target synchronised with a source: each {@link #detect} run hashes every object the
 * source has, compares with the hashes stored by the previous run, and enqueues a create, update
 * or delete job for each difference, keyed {@code <controller>:<objectId>} so that the newest
 * change of an object wins if several wait. A hash is stored in the same transaction as the job
 * that carries its change, so a crash can lose neither: an unstored change is found again next run.
 *
 * <pre>{@code
 * ChangeDetector customers = sluice.changeDetector("customers");   // kinds customers.create|update|delete
 * DetectionResult r = customers.detect(rows);                        // Iterable<SourceObject>
 * }</pre>
 *
 * Immutable; a run may be called from any thread, but runs of one controller must not overlap
 * (schedule them, for instance, on a recurring schedule, which runs once at a time).
 */
public final class ChangeDetector {
    private static final int BATCH = 500;

    private final String controller;
    private final JobEnqueuer enqueuer;
    private final CdcStore store;
    private final String queue;
    private final Map<ChangeAction, String> kinds;

    public ChangeDetector(String controller, JobEnqueuer enqueuer, CdcStore store) {
        this(controller, enqueuer, store, null, Map.of(
                ChangeAction.CREATE, controller + ".create",
                ChangeAction.UPDATE, controller + ".update",
                ChangeAction.DELETE, controller + ".delete"));
    }

    private ChangeDetector(String controller, JobEnqueuer enqueuer, CdcStore store, String queue,
                           Map<ChangeAction, String> kinds) {
        if (controller == null || controller.isBlank()) {
            throw new IllegalArgumentException("change detector controller name must not be blank");
        }
        this.controller = controller;
        this.enqueuer = enqueuer;
        this.store = store;
        this.queue = queue;
        this.kinds = Map.copyOf(kinds);
    }

    /** The same detector enqueueing to {@code queue}. */
    public ChangeDetector queue(String queue) {
        return new ChangeDetector(controller, enqueuer, store, queue, kinds);
    }

    /** The same detector enqueueing these kinds instead of {@code <controller>.create|update|delete}. */
    public ChangeDetector kinds(String create, String update, String delete) {
        return new ChangeDetector(controller, enqueuer, store, queue,
                Map.of(ChangeAction.CREATE, create, ChangeAction.UPDATE, update, ChangeAction.DELETE, delete));
    }

    public String controller() {
        return controller;
    }

    /** The kind enqueued for {@code action}. */
    public String kind(ChangeAction action) {
        return kinds.get(action);
    }

    /** Compares the source with the stored hashes and enqueues one job per difference. */
    public DetectionResult detect(Iterable<SourceObject> source) {
        Map<String, String> stored = store.cdcHashList(controller);
        Set<String> seen = new HashSet<>();
        Batch batch = new Batch();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (SourceObject object : source) {
            if (!seen.add(object.id())) {
                throw new IllegalArgumentException("source of '" + controller + "' has object id '" + object.id()
                        + "' twice; ids must be unique");
            }
            JsonNode content = ContentHasher.tree(object.content());
            String hash = ContentHasher.hash(content);
            String previous = stored.get(object.id());
            if (hash.equals(previous)) {
                unchanged++;
                continue;
            }
            ChangeAction action = previous == null ? ChangeAction.CREATE : ChangeAction.UPDATE;
            if (action == ChangeAction.CREATE) {
                created++;
            } else {
                updated++;
            }
            batch.add(object.id(), action, content, hash);
        }
        int deleted = 0;
        for (String id : stored.keySet()) {
            if (!seen.contains(id)) {
                deleted++;
                batch.add(id, ChangeAction.DELETE, null, null);
            }
        }
        batch.flush();
        return new DetectionResult(created, updated, deleted, unchanged);
    }

    /** Changes waiting to be written together with their jobs. */
    private final class Batch {
        private final List<CdcStore.HashChange> hashes = new ArrayList<>();
        private final List<JobRequest> requests = new ArrayList<>();

        void add(String objectId, ChangeAction action, JsonNode content, String hash) {
            JobRequest request = JobRequest.of(kinds.get(action), new ObjectChange(controller, objectId, action, content))
                    .key(controller + ":" + objectId);
            requests.add(queue == null ? request : request.queue(queue));
            hashes.add(new CdcStore.HashChange(objectId, hash));
            if (requests.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            if (requests.isEmpty()) {
                return;
            }
            List<NewJob> jobs = enqueuer.prepare(requests);
            store.cdcApply(controller, hashes, jobs);
            enqueuer.announce(jobs);
            requests.clear();
            hashes.clear();
        }
    }
}
