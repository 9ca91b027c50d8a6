package dev.sluice.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a recurring schedule fires: at a fixed interval ({@link #every(Duration)}) or at the times
 * a cron expression names in a time zone ({@link #cron(String, ZoneId)}). Immutable and
 * thread-safe; every bad value is rejected at construction with an {@link InvalidScheduleException}
 * that names it.
 *
 * <pre>{@code
 * Schedule.every(Duration.ofMinutes(5));                              // :00, :05, :10 … (UTC)
 * Schedule.cron("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin"));       // 09:00 Berlin time, workdays
 * Schedule.cron("0/10 * * * * *", "UTC");                              // every 10 seconds (six fields)
 * }</pre>
 */
public sealed interface Schedule permits Schedule.Every, Schedule.Cron {

    /**
     * Fires every {@code interval}, at whole multiples of it since the epoch (1970-01-01T00:00Z),
     * so every node computes the same times without talking to the others: {@code every(5 min)}
     * fires at :00, :05, :10 of every hour, {@code every(1 day)} at midnight UTC. Use a cron
     * expression for times on a local clock.
     *
     * @param interval at least one second, in whole milliseconds
     */
    static Every every(Duration interval) {
        return new Every(interval);
    }

    /**
     * Fires at the times {@code expression} names on the clock of {@code zone}; see
     * {@link Cron} for the syntax and the daylight-saving rules.
     */
    static Cron cron(String expression, ZoneId zone) {
        return new Cron(expression, zone);
    }

    /** As {@link #cron(String, ZoneId)}, naming the zone by its IANA id, such as {@code Europe/Berlin}. */
    static Cron cron(String expression, String zoneId) {
        return new Cron(expression, zoneOf(expression, zoneId));
    }

    /** The first time this schedule fires strictly after {@code after}; empty when it never fires again. */
    Optional<Instant> next(Instant after);

    /** Up to {@code count} times this schedule fires after {@code after}, in order. */
    default List<Instant> nextTimes(Instant after, int count) {
        List<Instant> out = new ArrayList<>(count);
        Instant t = after;
        while (out.size() < count) {
            Optional<Instant> n = next(t);
            if (n.isEmpty()) {
                break;
            }
            t = n.get();
            out.add(t);
        }
        return out;
    }

    /**
     * This schedule as text, such as {@code every(PT5M)} or {@code cron(0 9 * * MON-FRI, Europe/Berlin)};
     * stored with the schedule and read back by {@link #parse(String)}.
     */
    String definition();

    /** Reads what {@link #definition()} wrote. */
    static Schedule parse(String definition) {
        if (definition != null && definition.startsWith("every(") && definition.endsWith(")")) {
            try {
                return every(Duration.parse(definition.substring(6, definition.length() - 1)));
            } catch (DateTimeException e) {
                throw new InvalidScheduleException("schedule definition '" + definition + "': " + e.getMessage());
            }
        }
        if (definition != null && definition.startsWith("cron(") && definition.endsWith(")")) {
            int comma = definition.lastIndexOf(", ");
            if (comma > 5) {
                return cron(definition.substring(5, comma), definition.substring(comma + 2, definition.length() - 1));
            }
        }
        throw new InvalidScheduleException("schedule definition '" + definition
                + "' is neither every(<ISO-8601 duration>) nor cron(<expression>, <zone>)");
    }

    private static ZoneId zoneOf(String expression, String zoneId) {
        if (zoneId == null || zoneId.isBlank()) {
            throw new InvalidScheduleException("cron '" + expression + "': zone must not be blank");
        }
        try {
            return ZoneId.of(zoneId.strip());
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("cron '" + expression + "': zone '" + zoneId
                    + "' is not a known time zone; use an IANA name such as Europe/Berlin or UTC");
        }
    }

    /**
     * A fixed interval, aligned on the epoch.
     *
     * @param interval at least one second, in whole milliseconds
     */
    record Every(Duration interval) implements Schedule {
        public Every {
            if (interval == null) {
                throw new InvalidScheduleException("every: interval must not be null");
            }
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidScheduleException("every: interval must be at least 1 second, got " + interval);
            }
            if (interval.toNanos() % 1_000_000 != 0) {
                throw new InvalidScheduleException("every: interval must be whole milliseconds, got " + interval);
            }
        }

        @Override
        public Optional<Instant> next(Instant after) {
            long millis = interval.toMillis();
            long n = Math.floorDiv(after.toEpochMilli(), millis) + 1;
            return Optional.of(Instant.ofEpochMilli(Math.multiplyExact(n, millis)));
        }

        @Override
        public String definition() {
            return "every(" + interval + ")";
        }

        @Override
        public String toString() {
            return definition();
        }
    }

    /**
     * A cron expression on the clock of a time zone.
     *
     * <p>Five fields {@code minute hour day-of-month month day-of-week}, or six with
     * {@code second} first. Each field is {@code *}, a value, a range {@code a-b}, a step
     * (<code>&#42;/5</code>, {@code 10-30/5}, {@code 5/15} = 5 to the end in steps of 15), or a
     * comma-separated list of those. Months and weekdays may be names ({@code JAN}-{@code DEC},
     * {@code SUN}-{@code SAT}, any case); weekday 0 and 7 are both Sunday; {@code ?} means any
     * day in the two day fields. As in Vixie cron, when both day fields are restricted (neither
     * starts with {@code *} nor is {@code ?}) a day matching <em>either</em> fires:
     * {@code 0 0 1 * MON} fires on the 1st and on every Monday. Macros: {@code @yearly}
     * ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}),
     * {@code @hourly}.
     *
     * <p>Daylight saving: a local time skipped by a spring-forward gap fires at the first instant
     * after the gap (02:30 in Berlin on the last Sunday of March fires at 03:00 CEST); a local
     * time repeated by a fall-back fires once, at its first occurrence. In the repeated hour,
     * an expression that fires every few minutes therefore pauses until the local clock passes
     * the end of the repeated hour; use {@link Schedule#every(Duration)} for strict intervals.
     *
     * <p>Immutable and thread-safe.
     */
    final class Cron implements Schedule {
        private final CronExpression expression;
        private final ZoneId zone;

        private Cron(String expression, ZoneId zone) {
            this.expression = CronParser.parse(expression);
            if (zone == null) {
                throw new InvalidScheduleException("cron '" + this.expression.text() + "': zone must not be null");
            }
            this.zone = zone;
        }

        /** The expression, with runs of white space made single spaces. */
        public String expression() {
            return expression.text();
        }

        /** The zone whose clock the expression reads. */
        public ZoneId zone() {
            return zone;
        }

        @Override
        public Optional<Instant> next(Instant after) {
            return expression.next(after, zone.getRules());
        }

        @Override
        public String definition() {
            return "cron(" + expression.text() + ", " + zone.getId() + ")";
        }

        /** For tests of the matching rules. */
        CronExpression parsed() {
            return expression;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cron c && c.definition().equals(definition());
        }

        @Override
        public int hashCode() {
            return Objects.hash(definition());
        }

        @Override
        public String toString() {
            return definition();
        }
    }
}
