package dev.sluice.store;

import dev.sluice.job.EnqueueResult;
import java.util.List;
import java.util.Map;

/** Content hashes of change detection, written only together with the jobs that carry the changes. */
public interface CdcStore {

    /** Stored hash per object id of {@code controller}. */
    Map<String, String> cdcHashList(String controller);

    /**
     * In one transaction: enqueues {@code jobs} and writes each hash change (a null hash deletes
     * the object's row). A crash leaves both or neither.
     */
    List<EnqueueResult> cdcApply(String controller, List<HashChange> changes, List<NewJob> jobs);

    /**
     * @param objectId the object
     * @param hash its new content hash, or null when it was deleted at the source
     */
    record HashChange(String objectId, String hash) {
    }
}
