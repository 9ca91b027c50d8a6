package dev.sluice.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to enqueue: a kind, a payload and options. Immutable; every option method returns a copy.
 * Validation happens at enqueue, where every bad option is reported by name.
 *
 * <pre>{@code
 * sluice.enqueue(JobRequest.of("email.send", new Email("a@b.c"))
 *         .queue("mail").priority(5).delay(Duration.ofMinutes(1)).maxAttempts(10).tags("welcome"));
 * sluice.enqueue(JobRequest.of("customer.sync", change).key("customer:42"));   // newest wins
 * sluice.enqueue(JobRequest.of("ledger.post", entry).stream("account:7"));     // one at a time, in order
 * }</pre>
 *
 * @param kind the handler's name; required
 * @param payload any value Jackson can write, or a pre-encoded JSON string wrapped in {@link RawJson}
 * @param queue the queue; null means {@code "default"}
 * @param priority higher runs first among due jobs; default 0
 * @param runAt absolute time to run at, or null
 * @param delay delay from now on the database clock, or null; not together with runAt
 * @param maxAttempts attempts allowed, or null for the kind's (or the engine's) default
 * @param tags free labels
 * @param key the job's key, or null: waiting jobs of the same key are handled by {@code keyPolicy}
 * @param keyPolicy what a keyed enqueue does to waiting jobs of its key; null means replace
 * @param stream the job's stream, or null: jobs of one stream run one at a time (or {@code streamLimit}
 *               at a time), in enqueue order, across all nodes
 * @param streamLimit how many jobs of the stream may be active at once, or null for the configured
 *                    limit of the stream's prefix (default 1)
 */
public record JobRequest(
        String kind,
        Object payload,
        String queue,
        int priority,
        Instant runAt,
        Duration delay,
        Integer maxAttempts,
        List<String> tags,
        String key,
        KeyPolicy keyPolicy,
        String stream,
        Integer streamLimit) {

    /** The queue used when a request names none. */
    public static final String DEFAULT_QUEUE = "default";

    public JobRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The request without key or stream options. */
    public JobRequest(String kind, Object payload, String queue, int priority, Instant runAt, Duration delay,
                      Integer maxAttempts, List<String> tags) {
        this(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, null, null, null, null);
    }

    /** A request for {@code kind} with {@code payload} and default options. */
    public static JobRequest of(String kind, Object payload) {
        return new JobRequest(kind, payload, null, 0, null, null, null, List.of());
    }

    public JobRequest queue(String queue) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    public JobRequest priority(int priority) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    public JobRequest runAt(Instant runAt) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    public JobRequest delay(Duration delay) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    public JobRequest maxAttempts(int maxAttempts) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    public JobRequest tags(String... tags) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, List.of(tags), key, keyPolicy, stream, streamLimit);
    }

    /** Keys the job: the newest waiting job of a key is the one that runs (see {@link KeyPolicy}). */
    public JobRequest key(String key) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    /** Keys the job with a policy other than the default {@link KeyPolicy#replace()}. */
    public JobRequest key(String key, KeyPolicy policy) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, policy, stream, streamLimit);
    }

    /** Puts the job in a stream: one job of the stream runs at a time, in enqueue order. */
    public JobRequest stream(String stream) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, streamLimit);
    }

    /** Puts the job in a stream that runs up to {@code limit} jobs at a time. */
    public JobRequest stream(String stream, int limit) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags, key, keyPolicy, stream, limit);
    }

    /** The queue this request goes to. */
    public String queueOrDefault() {
        return Objects.requireNonNullElse(queue, DEFAULT_QUEUE);
    }
}
