package dev.sluice.schedule;

/**
 * A management call ({@code pauseSchedule}, {@code resumeSchedule}, {@code triggerSchedule})
 * named a schedule that no node has registered in this database.
 */
public class UnknownScheduleException extends IllegalArgumentException {
    private final String name;

    public UnknownScheduleException(String name, java.util.Collection<String> known) {
        super("unknown schedule '" + name + "'; known schedules: " + new java.util.TreeSet<>(known));
        this.name = name;
    }

    /** The name that matched no schedule. */
    public String name() {
        return name;
    }
}
