package dev.sluice.cdc;

/**
 * What one detection run found and enqueued.
 *
 * @param created objects new at the source
 * @param updated objects whose content changed
 * @param deleted objects gone from the source
 * @param unchanged objects whose hash matched
 */
public record DetectionResult(int created, int updated, int deleted, int unchanged) {

    /** Jobs enqueued by the run. */
    public int changes() {
        return created + updated + deleted;
    }
}
