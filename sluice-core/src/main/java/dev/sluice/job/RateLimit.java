package dev.sluice.job;

import java.time.Duration;

/**
 * At most {@code max} job starts per {@code period} for a queue or a kind, counted across all
 * nodes over a sliding window (every start is recorded; a start is allowed only while fewer than
 * {@code max} were recorded in the last {@code period}).
 *
 * @param scope {@code queue} or {@code kind}
 * @param name the queue's or kind's name
 * @param max starts allowed per period, at least 1
 * @param period the window
 */
public record RateLimit(String scope, String name, int max, Duration period) {

    public RateLimit {
        if (!"queue".equals(scope) && !"kind".equals(scope)) {
            throw new IllegalArgumentException("rate limit scope must be 'queue' or 'kind', got '" + scope + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("rate limit needs the " + scope + "'s name");
        }
        if (max < 1) {
            throw new IllegalArgumentException("rate limit max must be at least 1, got " + max);
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("rate limit period must be positive, got " + period);
        }
    }

    /** At most {@code max} starts of jobs of {@code queue} per {@code period}. */
    public static RateLimit perQueue(String queue, int max, Duration period) {
        return new RateLimit("queue", queue, max, period);
    }

    /** At most {@code max} starts of jobs of {@code kind} per {@code period}. */
    public static RateLimit perKind(String kind, int max, Duration period) {
        return new RateLimit("kind", kind, max, period);
    }

    /** The name under which starts are counted in the database. */
    public String counterName() {
        return scope + ":" + name;
    }
}
