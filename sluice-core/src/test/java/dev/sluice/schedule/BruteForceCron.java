package dev.sluice.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * The slow, obviously right way to find a cron expression's next time: walk the time line one
 * step (a minute, or a second) at a time and ask whether each instant is an occurrence. An
 * instant is one when its local time matches and it is not the second pass of a repeated hour,
 * or when it ends a daylight-saving gap in which some skipped local time matched.
 */
final class BruteForceCron {
    private BruteForceCron() {
    }

    static Optional<Instant> next(Schedule.Cron cron, Instant after, Duration step, Instant limit) {
        CronExpression expression = cron.parsed();
        ZoneRules rules = cron.zone().getRules();
        long stepSeconds = step.toSeconds();
        long first = Math.floorDiv(after.getEpochSecond(), stepSeconds) * stepSeconds + stepSeconds;
        for (Instant t = Instant.ofEpochSecond(first); !t.isAfter(limit); t = t.plus(step)) {
            if (occurs(expression, rules, t, step)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static boolean occurs(CronExpression expression, ZoneRules rules, Instant t, Duration step) {
        LocalDateTime local = LocalDateTime.ofInstant(t, rules.getOffset(t));
        boolean repeated = rules.getValidOffsets(local).size() == 2
                && !rules.getOffset(t).equals(rules.getTransition(local).getOffsetBefore());
        if (expression.matches(local) && !repeated) {
            return true;
        }
        ZoneOffsetTransition transition = rules.nextTransition(t.minusSeconds(1));
        if (transition != null && transition.getInstant().equals(t) && transition.isGap()) {
            for (LocalDateTime skipped = transition.getDateTimeBefore(); skipped.isBefore(transition.getDateTimeAfter());
                    skipped = skipped.plus(step.toSeconds(), ChronoUnit.SECONDS)) {
                if (expression.matches(skipped)) {
                    return true;
                }
            }
        }
        return false;
    }
}
