package dev.sluice.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code next()} agrees with a brute-force walk along the time line, for random expressions in
 * zones with daylight saving (including half-hour shifts), from random instants and from
 * instants close to a transition.
 */
class CronNextPropertyTest {
    static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
            "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Chatham");
    private static final Instant FROM = Instant.parse("2018-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2030-01-01T00:00:00Z");

    @Property(tries = 300)
    void fiveFieldsAgreeWithAMinuteByMinuteWalk(@ForAll("fiveFields") String expression, @ForAll("zones") String zone,
                                               @ForAll("offsets") long offsetSeconds, @ForAll("pickTransition") int pick) {
        Schedule.Cron cron = Schedule.cron(expression, zone);
        Instant after = near(cron.zone(), pick, offsetSeconds);
        assertAgrees(cron, after, Duration.ofMinutes(1), Duration.ofDays(8));
    }

    @Property(tries = 150)
    void sixFieldsAgreeWithASecondBySecondWalk(@ForAll("sixFields") String expression, @ForAll("zones") String zone,
                                              @ForAll("offsets") long offsetSeconds, @ForAll("pickTransition") int pick) {
        Schedule.Cron cron = Schedule.cron(expression, zone);
        Instant after = near(cron.zone(), pick, offsetSeconds % 7200).plusMillis(Math.floorMod(offsetSeconds, 1000));
        assertAgrees(cron, after, Duration.ofSeconds(1), Duration.ofHours(5));
    }

    static void assertAgrees(Schedule.Cron cron, Instant after, Duration step, Duration horizon) {
        Instant limit = after.plus(horizon);
        Optional<Instant> brute = BruteForceCron.next(cron, after, step, limit);
        Optional<Instant> fast = cron.next(after).filter(t -> !t.isAfter(limit));
        assertThat(fast).as("%s after %s", cron, after).isEqualTo(brute);
    }

    /** An instant near a transition of {@code zone} (or anywhere, for pick 0 or a zone without any). */
    static Instant near(ZoneId zone, int pick, long offsetSeconds) {
        Instant base = FROM.plusSeconds(Math.floorMod(offsetSeconds * 7919, Duration.between(FROM, TO).toSeconds()));
        if (pick == 0) {
            return base;
        }
        ZoneOffsetTransition t = zone.getRules().nextTransition(base);
        return t == null ? base : t.getInstant().plusSeconds(offsetSeconds % (2 * 86_400));
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(-3 * 86_400, 3 * 86_400);
    }

    @Provide
    Arbitrary<Integer> pickTransition() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<String> fiveFields() {
        return Combinators.combine(field(0, 59), field(0, 23), dayOfMonth(), month(), dayOfWeek())
                .as((mi, h, dom, mo, dow) -> String.join(" ", mi, h, dom, mo, dow));
    }

    @Provide
    Arbitrary<String> sixFields() {
        return Combinators.combine(field(0, 59), field(0, 59), field(0, 23), dayOfMonth(), month(), dayOfWeek())
                .as((s, mi, h, dom, mo, dow) -> String.join(" ", s, mi, h, dom, mo, dow));
    }

    /** A list of one to three items, each *, a value, a range, or a stepped range. */
    static Arbitrary<String> field(int min, int max) {
        Arbitrary<String> item = Arbitraries.oneOf(
                Arbitraries.just("*"),
                Arbitraries.integers().between(min, max).map(String::valueOf),
                Arbitraries.integers().between(1, Math.min(30, max - min)).map(s -> "*/" + s),
                Combinators.combine(Arbitraries.integers().between(min, max), Arbitraries.integers().between(min, max))
                        .as((a, b) -> Math.min(a, b) + "-" + Math.max(a, b)),
                Combinators.combine(Arbitraries.integers().between(min, max), Arbitraries.integers().between(min, max),
                        Arbitraries.integers().between(1, Math.min(10, max - min)))
                        .as((a, b, s) -> Math.min(a, b) + "-" + Math.max(a, b) + "/" + s));
        return item.list().ofMinSize(1).ofMaxSize(3).map(items -> items.contains("*") ? "*" : String.join(",", items));
    }

    static Arbitrary<String> dayOfMonth() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just("*")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("?")),
                net.jqwik.api.Tuple.of(3, field(1, 28)));
    }

    static Arbitrary<String> month() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just("*")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("MAR", "mar-apr", "OCT,NOV", "3,10-11", "*/2")));
    }

    static Arbitrary<String> dayOfWeek() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just("*")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("?", "MON-FRI", "SUN", "sat,sun", "7", "5-7", "*/2")),
                net.jqwik.api.Tuple.of(2, field(0, 7)));
    }
}
