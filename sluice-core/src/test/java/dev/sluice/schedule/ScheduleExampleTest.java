package dev.sluice.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/schedules.md, run as written (with a temporary file and a counter). */
class ScheduleExampleTest {

    record Report(String period) {
    }

    @Test
    void theDocumentedExampleRuns(@TempDir Path dir) {
        List<String> rendered = new CopyOnWriteArrayList<>();
        AtomicInteger refreshes = new AtomicInteger();
        Path jobsDb = dir.resolve("jobs.db");

        // --- as in docs/schedules.md
        try (Sluice sluice = Sluice.builder()
                .sqlite(jobsDb)
                .handler("report.render", Report.class, (report, ctx) -> {
                    rendered.add(report.period());
                    return JobOutcome.success();
                })
                // at 02:00 Berlin time every day, a job of an existing kind; after downtime up to 3 missed days run
                .schedule("nightly-report", Schedule.cron("0 2 * * *", "Europe/Berlin"),
                        ScheduledJob.enqueue("report.render", new Report("daily")),
                        ScheduleOptions.defaults().catchUp(CatchUp.runMissed(3)))
                // every 30 seconds, a handler of its own (kind "schedule:cache-refresh")
                .schedule("cache-refresh", Schedule.every(Duration.ofSeconds(30)),
                        ScheduledJob.handler((run, ctx) -> {
                            refreshes.incrementAndGet();
                            return JobOutcome.success();
                        }))
                .build()) {
            sluice.start();
            for (ScheduleInfo s : sluice.schedules()) {
                System.out.println(s.name() + " " + s.definition() + " next " + s.nextRuns().getFirst());
            }
            sluice.triggerSchedule("nightly-report");      // one run now, outside its times
            sluice.pauseSchedule("cache-refresh");         // nothing fires until resumed
            sluice.resumeSchedule("cache-refresh");        // goes on from its next time after now
            // --- end of the example

            await().atMost(Duration.ofSeconds(30)).until(() -> rendered.size() == 1);
            assertThat(rendered).containsExactly("daily");
            assertThat(sluice.schedules()).extracting(ScheduleInfo::name).containsExactly("cache-refresh", "nightly-report");
        }
        assertThat(Files.exists(jobsDb)).isTrue();
    }
}
