package dev.sluice.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same comparison as {@link CronNextPropertyTest}, over a fixed grid instead of random
 * inputs: typical expressions, asked every hour and a bit around each 2024 transition of zones
 * with daylight saving, so the outcome does not depend on a generator's seed.
 */
class CronBruteForceSweepTest {
    private static final List<String> EXPRESSIONS = List.of(
            "* * * * *", "*/15 * * * *", "30 * * * *", "0 * * * *", "0 2 * * *", "30 2 * * *", "30 1 * * *",
            "0 3 * * *", "45 0-3 * * *", "0 0 * * *", "*/7 1-2 * * *", "0 9 * * MON-FRI", "0 0 1 * MON",
            "0 2 */2 * SUN", "15,45 2 * 3,10,11 *");

    @Test
    void nextAgreesWithAMinuteByMinuteWalkAroundEveryTransition() {
        for (String zoneId : CronNextPropertyTest.ZONES) {
            ZoneId zone = ZoneId.of(zoneId);
            Instant from = Instant.parse("2024-01-01T00:00:00Z");
            ZoneOffsetTransition t = zone.getRules().nextTransition(from);
            List<Instant> around = t == null ? List.of(from) : List.of(t.getInstant(),
                    zone.getRules().nextTransition(t.getInstant()).getInstant());
            for (Instant transition : around) {
                for (long minutes = -6 * 60; minutes <= 6 * 60; minutes += 67) {
                    Instant after = transition.plus(Duration.ofMinutes(minutes));
                    for (String expression : EXPRESSIONS) {
                        CronNextPropertyTest.assertAgrees(Schedule.cron(expression, zone), after,
                                Duration.ofMinutes(1), Duration.ofDays(2));
                    }
                }
            }
        }
    }

    @Test
    void secondsAgreeWithASecondBySecondWalkAcrossBerlinTransitions() {
        for (String transition : List.of("2024-03-31T01:00:00Z", "2024-10-27T01:00:00Z")) {
            for (String expression : List.of("* * * * * *", "*/20 * * * * *", "30 59 1 * * *", "0 30 2 * * *")) {
                for (long seconds = -3700; seconds <= 3700; seconds += 613) {
                    CronNextPropertyTest.assertAgrees(Schedule.cron(expression, "Europe/Berlin"),
                            Instant.parse(transition).plusSeconds(seconds), Duration.ofSeconds(1), Duration.ofHours(3));
                }
            }
        }
    }
}
