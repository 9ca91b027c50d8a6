/**
 * Recurring schedules: {@link dev.sluice.schedule.Schedule} (interval or cron in a time zone),
 * what each occurrence does ({@link dev.sluice.schedule.ScheduledJob}), the catch-up policy after
 * downtime ({@link dev.sluice.schedule.CatchUp}), and what {@code Sluice.schedules()} reports
 * ({@link dev.sluice.schedule.ScheduleInfo}). Register schedules with
 * {@code Sluice.Builder.schedule}; each occurrence runs exactly once across all nodes.
 */
package dev.sluice.schedule;
