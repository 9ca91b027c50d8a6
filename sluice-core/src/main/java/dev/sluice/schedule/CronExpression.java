package dev.sluice.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;

/**
 * A parsed cron expression: one bit mask per field, and the next-time search. Immutable and
 * thread-safe.
 *
 * <p>Times are found on the local clock of a zone, then placed on the time line: a local time
 * that a daylight-saving gap skips fires at the first instant after the gap (several skipped
 * times fire once there), and a local time that a fall-back repeats fires once, at its first
 * occurrence. So a schedule never fires twice for one local time and never silently loses a day.
 */
final class CronExpression {
    /** A date pattern that matches nothing in a 400-year Gregorian cycle never matches at all. */
    private static final int SEARCH_YEARS = 400;

    private final String text;
    private final long seconds;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean domUnrestricted;
    private final boolean dowUnrestricted;

    CronExpression(String text, long seconds, long minutes, long hours, long daysOfMonth, long months,
                   long daysOfWeek, boolean domUnrestricted, boolean dowUnrestricted) {
        this.text = text;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.domUnrestricted = domUnrestricted;
        this.dowUnrestricted = dowUnrestricted;
    }

    /** The expression as written, with runs of white space made single spaces. */
    String text() {
        return text;
    }

    /** True when the local time {@code t} (to the second) matches every field. */
    boolean matches(LocalDateTime t) {
        return has(months, t.getMonthValue()) && dayMatches(t.toLocalDate()) && has(hours, t.getHour())
                && has(minutes, t.getMinute()) && has(seconds, t.getSecond());
    }

    /** Vixie cron: with both day fields restricted either may match; otherwise both must. */
    boolean dayMatches(LocalDate date) {
        boolean dom = has(daysOfMonth, date.getDayOfMonth());
        boolean dow = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return domUnrestricted || dowUnrestricted ? dom && dow : dom || dow;
    }

    /** The first instant strictly after {@code after} at which this expression fires in {@code rules}' zone. */
    Optional<Instant> next(Instant after, ZoneRules rules) {
        LocalDateTime local = LocalDateTime.ofInstant(after, rules.getOffset(after));
        LocalDateTime from = local.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        ZoneOffsetTransition repeated = rules.getTransition(local);
        if (repeated != null && repeated.isOverlap() && rules.getOffset(after).equals(repeated.getOffsetAfter())
                && from.isBefore(repeated.getDateTimeBefore())) {
            // In the second pass of a repeated hour: its local times already fired in the first pass.
            from = repeated.getDateTimeBefore();
        }
        while (true) {
            LocalDateTime match = nextMatch(from);
            if (match == null) {
                return Optional.empty();
            }
            Instant at = place(match, rules);
            if (at.isAfter(after)) {
                return Optional.of(at);
            }
            from = match.plusSeconds(1);
        }
    }

    /** Puts a local time on the time line: skipped times at the end of the gap, repeated ones at their first occurrence. */
    static Instant place(LocalDateTime local, ZoneRules rules) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.toInstant(offsets.getFirst());
        }
        ZoneOffsetTransition transition = rules.getTransition(local);
        return offsets.isEmpty() ? transition.getInstant() : local.toInstant(transition.getOffsetBefore());
    }

    /** The first local time at or after {@code from} (whole seconds) matching every field, or null within 400 years. */
    LocalDateTime nextMatch(LocalDateTime from) {
        LocalDateTime t = from.truncatedTo(ChronoUnit.SECONDS).equals(from) ? from
                : from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        int lastYear = from.getYear() + SEARCH_YEARS;
        while (t.getYear() <= lastYear) {
            int month = next(months, t.getMonthValue(), 12);
            if (month != t.getMonthValue()) {
                t = month < 0 ? LocalDateTime.of(t.getYear() + 1, next(months, 1, 12), 1, 0, 0)
                        : LocalDateTime.of(t.getYear(), month, 1, 0, 0);
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            int hour = next(hours, t.getHour(), 23);
            if (hour != t.getHour()) {
                t = hour < 0 ? t.toLocalDate().plusDays(1).atStartOfDay() : t.toLocalDate().atTime(hour, 0);
                continue;
            }
            int minute = next(minutes, t.getMinute(), 59);
            if (minute != t.getMinute()) {
                t = minute < 0 ? t.truncatedTo(ChronoUnit.HOURS).plusHours(1) : t.withMinute(minute).withSecond(0);
                continue;
            }
            int second = next(seconds, t.getSecond(), 59);
            if (second != t.getSecond()) {
                t = second < 0 ? t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : t.withSecond(second);
                continue;
            }
            return t;
        }
        return null;
    }

    private static boolean has(long mask, int value) {
        return (mask & (1L << value)) != 0;
    }

    /** The smallest value in {@code mask} from {@code from} to {@code max}, or -1. */
    private static int next(long mask, int from, int max) {
        long rest = mask & (-1L << from);
        if (rest == 0) {
            return -1;
        }
        int v = Long.numberOfTrailingZeros(rest);
        return v <= max ? v : -1;
    }

    @Override
    public String toString() {
        return text;
    }
}
