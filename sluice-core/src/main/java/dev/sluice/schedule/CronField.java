package dev.sluice.schedule;

import java.util.List;

/**
 * The fields of a cron expression, with their allowed numbers and names. Day-of-week allows 0
 * to 7, both meaning Sunday, as Vixie cron does.
 */
enum CronField {
    SECOND("second", 0, 59, List.of()),
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
    MONTH("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

    private final String label;
    private final int min;
    private final int max;
    private final List<String> names;

    CronField(String label, int min, int max, List<String> names) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.names = names;
    }

    String label() {
        return label;
    }

    int min() {
        return min;
    }

    int max() {
        return max;
    }

    /** The number a name stands for, or -1; names are case-insensitive. */
    int valueOfName(String name) {
        int i = names.indexOf(name.toUpperCase(java.util.Locale.ROOT));
        return i < 0 ? -1 : i + (this == MONTH ? 1 : 0);
    }

    boolean isDayField() {
        return this == DAY_OF_MONTH || this == DAY_OF_WEEK;
    }

    /** What the field accepts, for error messages: {@code 0-59} or {@code 1-12 or JAN-DEC}. */
    String allowed() {
        String range = min + "-" + max;
        return names.isEmpty() ? range : range + " or " + names.getFirst() + "-" + names.getLast();
    }
}
