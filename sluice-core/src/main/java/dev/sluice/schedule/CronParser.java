package dev.sluice.schedule;

import java.util.Locale;
import java.util.Map;

/**
 * Reads cron expressions: five fields (minute hour day-of-month month day-of-week) or six with
 * seconds first; {@code *}, lists, ranges, steps (<code>&#42;/5</code>, {@code 10-30/5}, {@code 5/15}),
 * month and weekday names, {@code ?} in the day fields, and the macros {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight},
 * {@code @hourly}. Every rejection names the expression, the field, the offending text and what
 * is allowed. Stateless.
 */
final class CronParser {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final CronField[] FIVE = {
        CronField.MINUTE, CronField.HOUR, CronField.DAY_OF_MONTH, CronField.MONTH, CronField.DAY_OF_WEEK};
    private static final CronField[] SIX = {
        CronField.SECOND, CronField.MINUTE, CronField.HOUR, CronField.DAY_OF_MONTH, CronField.MONTH, CronField.DAY_OF_WEEK};

    private CronParser() {
    }

    /** Parses {@code expression}; throws {@link InvalidScheduleException} naming the problem. */
    static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidScheduleException("cron expression must not be blank");
        }
        String text = expression.strip().replaceAll("\\s+", " ");
        String fields = text;
        if (text.startsWith("@")) {
            fields = MACROS.get(text.toLowerCase(Locale.ROOT));
            if (fields == null) {
                throw new InvalidScheduleException("cron '" + text + "': unknown macro '" + text
                        + "'; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
            }
        }
        String[] parts = fields.split(" ");
        CronField[] layout;
        if (parts.length == 5) {
            layout = FIVE;
        } else if (parts.length == 6) {
            layout = SIX;
        } else {
            throw new InvalidScheduleException("cron '" + text + "': expected 5 fields (minute hour day-of-month month"
                    + " day-of-week) or 6 (second first), got " + parts.length);
        }
        long[] masks = new long[SIX.length];
        masks[0] = 1L; // five fields fire at second 0
        int offset = SIX.length - layout.length;
        for (int i = 0; i < layout.length; i++) {
            masks[i + offset] = new FieldReader(text, layout[i], parts[i]).read();
        }
        String dom = parts[layout.length - 3];
        String dow = parts[layout.length - 1];
        long dows = masks[5];
        if ((dows & (1L << 7)) != 0) {
            dows = (dows & ~(1L << 7)) | 1L; // 7 is Sunday, like 0
        }
        CronExpression cron = new CronExpression(text, masks[0], masks[1], masks[2], masks[3], masks[4], dows,
                isUnrestricted(dom), isUnrestricted(dow));
        if (cron.nextMatch(java.time.LocalDateTime.of(2000, 1, 1, 0, 0)) == null) {
            throw new InvalidScheduleException("cron '" + text + "': never fires: no date matches day-of-month '" + dom
                    + "', month '" + parts[layout.length - 2] + "' and day-of-week '" + dow + "'");
        }
        return cron;
    }

    /**
     * Vixie cron's rule: a day field whose text starts with {@code *} (or is {@code ?}) does not
     * restrict the day; when both day fields restrict it, a day matching either one fires.
     */
    private static boolean isUnrestricted(String field) {
        return field.startsWith("*") || field.equals("?");
    }

    /** Reads one field into a bit mask of the values it allows. */
    private static final class FieldReader {
        private final String expression;
        private final CronField field;
        private final String text;

        FieldReader(String expression, CronField field, String text) {
            this.expression = expression;
            this.field = field;
            this.text = text;
        }

        long read() {
            long mask = 0;
            String[] items = text.split(",", -1);
            for (String item : items) {
                if (item.isEmpty()) {
                    throw fail(text, "has an empty list item");
                }
                mask |= item(item);
            }
            return mask;
        }

        private long item(String item) {
            String base = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                base = item.substring(0, slash);
                String stepText = item.substring(slash + 1);
                int span = field.max() - field.min();
                if (!stepText.matches("[0-9]{1,4}") || Integer.parseInt(stepText) < 1 || Integer.parseInt(stepText) > span) {
                    throw fail(stepText, "is not a valid step: the step must be a number from 1 to " + span);
                }
                step = Integer.parseInt(stepText);
            }
            int start;
            int end;
            if (base.equals("*")) {
                start = field.min();
                end = field == CronField.DAY_OF_WEEK ? 6 : field.max();
            } else if (base.equals("?")) {
                if (!field.isDayField()) {
                    throw fail(base, "is only allowed in the day-of-month and day-of-week fields");
                }
                if (slash >= 0) {
                    throw fail(item, "takes no step: '?' already means any day");
                }
                start = field.min();
                end = field == CronField.DAY_OF_WEEK ? 6 : field.max();
            } else {
                int dash = base.indexOf('-', 1);
                if (dash >= 0) {
                    start = value(base.substring(0, dash));
                    String endText = base.substring(dash + 1);
                    end = value(endText);
                    if (field == CronField.DAY_OF_WEEK && end == 0 && start > 0) {
                        end = 7; // MON-SUN: Sunday at the end of a range is day 7
                    }
                    if (start > end) {
                        throw fail(base, "is a reversed range: " + start + " is after " + end
                                + "; split it, for example " + start + "-" + field.max() + "," + field.min() + "-" + end);
                    }
                } else {
                    start = value(base);
                    // "5/15" means from 5 to the field's end in steps of 15
                    end = slash >= 0 ? field.max() : start;
                }
            }
            long mask = 0;
            for (int v = start; v <= end; v += step) {
                mask |= 1L << v;
            }
            return mask;
        }

        private int value(String token) {
            if (token.matches("[0-9]{1,9}")) {
                int v = Integer.parseInt(token);
                if (v < field.min() || v > field.max()) {
                    throw fail(token, "is out of range " + field.min() + "-" + field.max());
                }
                return v;
            }
            int named = field.valueOfName(token);
            if (named >= 0) {
                return named;
            }
            if (field.isDayField() && token.matches("(?i)LW?|[0-9]{1,2}[LW]|[0-9A-Z]{1,3}#[0-9]")) {
                throw fail(token, "uses Quartz syntax (L, W or #), which is not supported");
            }
            throw fail(token, "is not a number or name" + (field.allowed().contains(" or ") ? " (use " + field.allowed() + ")" : ""));
        }

        private InvalidScheduleException fail(String token, String problem) {
            String where = "cron '" + expression + "': " + field.label() + " field '" + text + "'";
            return new InvalidScheduleException(token.equals(text) ? where + " " + problem
                    : where + ": '" + token + "' " + problem);
        }
    }
}
