package dev.sluice.schedule;

/**
 * A schedule that cannot be accepted: a malformed cron expression, an unknown time zone, an
 * interval out of range, or a bad option. The message names the problem, for example
 * {@code cron 'x 1 * * *': minute field 'x' is not a number or name}. Nothing was registered
 * when this is thrown.
 */
public class InvalidScheduleException extends IllegalArgumentException {

    public InvalidScheduleException(String message) {
        super(message);
    }
}
