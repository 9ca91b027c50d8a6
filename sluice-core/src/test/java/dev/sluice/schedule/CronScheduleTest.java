package dev.sluice.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What cron expressions mean, and how every bad one is reported. */
class CronScheduleTest {

    private static List<Instant> next(String expression, String zone, String after, int count) {
        return Schedule.cron(expression, zone).nextTimes(Instant.parse(after), count);
    }

    private static List<Instant> instants(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.split(" ")).map(Instant::parse).toList();
    }

    @ParameterizedTest(name = "{0} after {1}")
    @CsvSource(delimiter = '|', textBlock = """
            */15 * * * *        | 2024-01-01T00:07:00Z | 2024-01-01T00:15:00Z 2024-01-01T00:30:00Z 2024-01-01T00:45:00Z 2024-01-01T01:00:00Z
            10-30/5 * * * *     | 2024-01-01T00:29:00Z | 2024-01-01T00:30:00Z 2024-01-01T01:10:00Z 2024-01-01T01:15:00Z
            5/20 * * * *        | 2024-01-01T00:00:00Z | 2024-01-01T00:05:00Z 2024-01-01T00:25:00Z 2024-01-01T00:45:00Z 2024-01-01T01:05:00Z
            0,30 8-9 * * *      | 2024-01-01T00:00:00Z | 2024-01-01T08:00:00Z 2024-01-01T08:30:00Z 2024-01-01T09:00:00Z 2024-01-01T09:30:00Z 2024-01-02T08:00:00Z
            0 0 * * *           | 2024-01-01T00:00:00Z | 2024-01-02T00:00:00Z 2024-01-03T00:00:00Z
            59 23 31 12 *       | 2024-06-01T00:00:00Z | 2024-12-31T23:59:00Z 2025-12-31T23:59:00Z
            0 0 31 * *          | 2024-01-31T00:00:00Z | 2024-03-31T00:00:00Z 2024-05-31T00:00:00Z 2024-07-31T00:00:00Z
            0 0 29 2 *          | 2024-03-01T00:00:00Z | 2028-02-29T00:00:00Z 2032-02-29T00:00:00Z
            0 12 * * MON-FRI    | 2024-03-01T13:00:00Z | 2024-03-04T12:00:00Z 2024-03-05T12:00:00Z
            0 0 * jan,Jul sun   | 2024-01-01T00:00:00Z | 2024-01-07T00:00:00Z 2024-01-14T00:00:00Z 2024-01-21T00:00:00Z 2024-01-28T00:00:00Z 2024-07-07T00:00:00Z
            0 0 * * 7           | 2024-01-01T00:00:00Z | 2024-01-07T00:00:00Z 2024-01-14T00:00:00Z
            0 0 * * 5-7         | 2024-01-01T00:00:00Z | 2024-01-05T00:00:00Z 2024-01-06T00:00:00Z 2024-01-07T00:00:00Z 2024-01-12T00:00:00Z
            0 0 * * SAT-SUN     | 2024-01-01T00:00:00Z | 2024-01-06T00:00:00Z 2024-01-07T00:00:00Z 2024-01-13T00:00:00Z
            0 0 1 * MON         | 2024-01-20T00:00:00Z | 2024-01-22T00:00:00Z 2024-01-29T00:00:00Z 2024-02-01T00:00:00Z 2024-02-05T00:00:00Z
            0 0 13 * FRI        | 2024-09-01T00:00:00Z | 2024-09-06T00:00:00Z 2024-09-13T00:00:00Z 2024-09-20T00:00:00Z 2024-09-27T00:00:00Z 2024-10-04T00:00:00Z 2024-10-11T00:00:00Z 2024-10-13T00:00:00Z
            0 0 */2 * MON       | 2024-01-01T00:00:00Z | 2024-01-15T00:00:00Z 2024-01-29T00:00:00Z 2024-02-05T00:00:00Z
            0 0 ? * MON         | 2024-01-01T00:00:00Z | 2024-01-08T00:00:00Z 2024-01-15T00:00:00Z
            0 0 1 * ?           | 2024-01-01T00:00:00Z | 2024-02-01T00:00:00Z 2024-03-01T00:00:00Z
            30 */10 * * * *     | 2024-01-01T00:00:30Z | 2024-01-01T00:10:30Z 2024-01-01T00:20:30Z
            */20 * * * * *      | 2024-01-01T00:00:00.500Z | 2024-01-01T00:00:20Z 2024-01-01T00:00:40Z 2024-01-01T00:01:00Z
            @hourly             | 2024-01-01T00:00:00Z | 2024-01-01T01:00:00Z 2024-01-01T02:00:00Z
            @daily              | 2024-01-01T10:00:00Z | 2024-01-02T00:00:00Z 2024-01-03T00:00:00Z
            @midnight           | 2024-01-01T10:00:00Z | 2024-01-02T00:00:00Z
            @weekly             | 2024-01-01T00:00:00Z | 2024-01-07T00:00:00Z 2024-01-14T00:00:00Z
            @monthly            | 2024-01-15T00:00:00Z | 2024-02-01T00:00:00Z 2024-03-01T00:00:00Z
            @yearly             | 2024-01-15T00:00:00Z | 2025-01-01T00:00:00Z 2026-01-01T00:00:00Z
            @ANNUALLY           | 2024-01-15T00:00:00Z | 2025-01-01T00:00:00Z
            """)
    void firesAtTheTimesItNames(String expression, String after, String expected) {
        List<Instant> want = instants(expected);
        assertThat(next(expression, "UTC", after, want.size())).containsExactlyElementsOf(want);
    }

    @Test
    void readsTheClockOfItsZone() {
        // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
        assertThat(next("0 9 * * MON-FRI", "Europe/Berlin", "2024-03-29T12:00:00Z", 2))
                .containsExactly(Instant.parse("2024-04-01T07:00:00Z"), Instant.parse("2024-04-02T07:00:00Z"));
        assertThat(next("0 9 * * *", "Asia/Kolkata", "2024-01-01T00:00:00Z", 1))
                .containsExactly(Instant.parse("2024-01-01T03:30:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            x 1 * * *           | cron 'x 1 * * *': minute field 'x' is not a number or name
            61 * * * *          | cron '61 * * * *': minute field '61' is out of range 0-59
            5,61 * * * *        | cron '5,61 * * * *': minute field '5,61': '61' is out of range 0-59
            * 24 * * *          | cron '* 24 * * *': hour field '24' is out of range 0-23
            * * 0 * *           | cron '* * 0 * *': day-of-month field '0' is out of range 1-31
            * * * 13 *          | cron '* * * 13 *': month field '13' is out of range 1-12
            * * * FOO *         | cron '* * * FOO *': month field 'FOO' is not a number or name (use 1-12 or JAN-DEC)
            * * * * 8           | cron '* * * * 8': day-of-week field '8' is out of range 0-7
            * * * * MONDAY      | cron '* * * * MONDAY': day-of-week field 'MONDAY' is not a number or name (use 0-7 or SUN-SAT)
            60 * * * * *        | cron '60 * * * * *': second field '60' is out of range 0-59
            */0 * * * *         | cron '*/0 * * * *': minute field '*/0': '0' is not a valid step: the step must be a number from 1 to 59
            */x * * * *         | cron '*/x * * * *': minute field '*/x': 'x' is not a valid step: the step must be a number from 1 to 59
            1,,2 * * * *        | cron '1,,2 * * * *': minute field '1,,2' has an empty list item
            * 22-2 * * *        | cron '* 22-2 * * *': hour field '22-2' is a reversed range: 22 is after 2; split it, for example 22-23,0-2
            ? * * * *           | cron '? * * * *': minute field '?' is only allowed in the day-of-month and day-of-week fields
            0 0 ?/2 * *         | cron '0 0 ?/2 * *': day-of-month field '?/2' takes no step: '?' already means any day
            0 0 L * *           | cron '0 0 L * *': day-of-month field 'L' uses Quartz syntax (L, W or #), which is not supported
            0 0 * * 5#3         | cron '0 0 * * 5#3': day-of-week field '5#3' uses Quartz syntax (L, W or #), which is not supported
            -1 * * * *          | cron '-1 * * * *': minute field '-1' is not a number or name
            * * *               | cron '* * *': expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got 3
            * * * * * * *       | cron '* * * * * * *': expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got 7
            @often              | cron '@often': unknown macro '@often'; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly
            @reboot             | cron '@reboot': unknown macro '@reboot'; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly
            0 0 30 2 *          | cron '0 0 30 2 *': never fires: no date matches day-of-month '30', month '2' and day-of-week '*'
            0 0 31 4,6,9,11 *   | cron '0 0 31 4,6,9,11 *': never fires: no date matches day-of-month '31', month '4,6,9,11' and day-of-week '*'
            """)
    void rejectsABadExpressionNamingTheFieldAndValue(String expression, String message) {
        assertThatThrownBy(() -> Schedule.cron(expression, ZoneId.of("UTC")))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsABlankExpression() {
        assertThatThrownBy(() -> Schedule.cron("  ", "UTC")).hasMessage("cron expression must not be blank");
        assertThatThrownBy(() -> Schedule.cron(null, "UTC")).hasMessage("cron expression must not be blank");
    }

    @Test
    void rejectsAnUnknownOrMissingZone() {
        assertThatThrownBy(() -> Schedule.cron("0 * * * *", "Mars/Olympus"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("cron '0 * * * *': zone 'Mars/Olympus' is not a known time zone; "
                        + "use an IANA name such as Europe/Berlin or UTC");
        assertThatThrownBy(() -> Schedule.cron("0 * * * *", "Europe/Berln"))
                .hasMessageContaining("zone 'Europe/Berln' is not a known time zone");
        assertThatThrownBy(() -> Schedule.cron("0 * * * *", " "))
                .hasMessage("cron '0 * * * *': zone must not be blank");
        assertThatThrownBy(() -> Schedule.cron("0 * * * *", (ZoneId) null))
                .hasMessage("cron '0 * * * *': zone must not be null");
    }

    @Test
    void acceptsZoneIdsAndFixedOffsets() {
        assertThat(Schedule.cron("0 0 * * *", "+02:00").next(Instant.parse("2024-01-01T00:00:00Z")))
                .contains(Instant.parse("2024-01-01T22:00:00Z"));
        assertThat(Schedule.cron("0 0 * * *", " Europe/Berlin ").zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void intervalsAreAlignedOnTheEpoch() {
        Schedule every5 = Schedule.every(Duration.ofMinutes(5));
        assertThat(every5.nextTimes(Instant.parse("2024-01-01T00:07:30Z"), 2))
                .containsExactly(Instant.parse("2024-01-01T00:10:00Z"), Instant.parse("2024-01-01T00:15:00Z"));
        assertThat(every5.next(Instant.parse("2024-01-01T00:10:00Z"))).contains(Instant.parse("2024-01-01T00:15:00Z"));
        assertThat(Schedule.every(Duration.ofSeconds(1)).next(Instant.parse("2024-01-01T00:00:00.999999Z")))
                .contains(Instant.parse("2024-01-01T00:00:01Z"));
    }

    @Test
    void rejectsIntervalsBelowOneSecondOrFinerThanMilliseconds() {
        assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(500)))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("every: interval must be at least 1 second, got PT0.5S");
        assertThatThrownBy(() -> Schedule.every(Duration.ofNanos(1_000_000_001)))
                .hasMessage("every: interval must be whole milliseconds, got PT1.000000001S");
        assertThatThrownBy(() -> Schedule.every(null)).hasMessage("every: interval must not be null");
    }

    @Test
    void definitionsReadBackToTheSameSchedule() {
        for (Schedule s : List.of(Schedule.every(Duration.ofSeconds(90)),
                Schedule.cron("0   9 * *  MON-FRI", "Europe/Berlin"), Schedule.cron("@daily", "America/New_York"),
                Schedule.cron("*/5 0,30 * * * *", "UTC"))) {
            assertThat(Schedule.parse(s.definition())).isEqualTo(s);
        }
        assertThat(Schedule.cron("0   9 * *  MON-FRI", "Europe/Berlin").definition())
                .isEqualTo("cron(0 9 * * MON-FRI, Europe/Berlin)");
        assertThat(Schedule.every(Duration.ofSeconds(90)).definition()).isEqualTo("every(PT1M30S)");
        assertThatThrownBy(() -> Schedule.parse("hourly"))
                .hasMessage("schedule definition 'hourly' is neither every(<ISO-8601 duration>) nor cron(<expression>, <zone>)");
    }

    @Test
    void catchUpAndOptionsRejectBadValuesByName() {
        assertThatThrownBy(() -> CatchUp.runMissed(0)).hasMessage("runMissed: max must be 1 to 1000, got 0");
        assertThatThrownBy(() -> ScheduleOptions.defaults().maxAttempts(0)).hasMessage("maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> ScheduleOptions.defaults().catchUp(null)).hasMessageStartingWith("catchUp must not be null");
        assertThatThrownBy(() -> ScheduledJob.enqueue(" ", "x")).hasMessage("enqueue: kind must not be blank");
        assertThat(CatchUp.skipMissed().maxRuns()).isEqualTo(1);
        assertThat(CatchUp.runMissed(3).describe()).isEqualTo("run-missed(3)");
    }
}
