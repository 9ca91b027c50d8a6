package dev.sluice.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to enqueue: a kind, a payload and options. Immutable; every {@code with…} method returns
 * a copy. Validation happens at enqueue, where every bad option is reported by name.
 *
 * <pre>{@code
 * sluice.enqueue(JobRequest.of("email.send", new Email("a@b.c"))
 *         .queue("mail").priority(5).delay(Duration.ofMinutes(1)).maxAttempts(10).tags("welcome"));
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
 */
public record JobRequest(
        String kind,
        Object payload,
        String queue,
        int priority,
        Instant runAt,
        Duration delay,
        Integer maxAttempts,
        List<String> tags) {

    /** The queue used when a request names none. */
    public static final String DEFAULT_QUEUE = "default";

    public JobRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A request for {@code kind} with {@code payload} and default options. */
    public static JobRequest of(String kind, Object payload) {
        return new JobRequest(kind, payload, null, 0, null, null, null, List.of());
    }

    public JobRequest queue(String queue) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags);
    }

    public JobRequest priority(int priority) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags);
    }

    public JobRequest runAt(Instant runAt) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags);
    }

    public JobRequest delay(Duration delay) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags);
    }

    public JobRequest maxAttempts(int maxAttempts) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, tags);
    }

    public JobRequest tags(String... tags) {
        return new JobRequest(kind, payload, queue, priority, runAt, delay, maxAttempts, List.of(tags));
    }

    /** The queue this request goes to. */
    public String queueOrDefault() {
        return Objects.requireNonNullElse(queue, DEFAULT_QUEUE);
    }
}
