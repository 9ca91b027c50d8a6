package dev.sluice.server.cli;

import dev.sluice.Sluice;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobRequest;
import dev.sluice.job.KindOptions;
import dev.sluice.job.RawJson;
import dev.sluice.job.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's realistic mix: quick e-mails, reports that show progress, payments whose gateway
 * fails twice before it succeeds, images of which one is unsupported (a permanent failure) and
 * one has a malformed payload, reminders delayed by seconds, and urgent pages at high priority.
 */
final class DemoWorkload {
    /** Jobs the demo expects to end discarded: one unsupported image, one malformed payload. */
    static final int EXPECTED_DISCARDED = 2;

    record Email(String to, String subject) {
    }

    record Report(String name, int pages) {
    }

    record Payment(String order, long cents) {
    }

    record Image(String url, int width) {
    }

    record Reminder(String user, String text) {
    }

    record Page(String service, String message) {
    }

    private DemoWorkload() {
    }

    static Sluice.Builder register(Sluice.Builder builder) {
        return builder
                .handler("email.send", Email.class, (email, ctx) -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 30));
                    return JobOutcome.success();
                })
                .handler("report.render", Report.class, (report, ctx) -> {
                    for (int page = 1; page <= report.pages(); page++) {
                        Thread.sleep(60);
                        ctx.progress((double) page / report.pages(), "page " + page + " of " + report.pages());
                    }
                    return JobOutcome.success(java.util.Map.of("file", report.name() + ".pdf"));
                })
                .handler("payment.capture", Payment.class, (payment, ctx) -> {
                    if (ctx.attempt() <= 2) {
                        throw new IllegalStateException("payment gateway timed out (attempt " + ctx.attempt() + ")");
                    }
                    return JobOutcome.success(java.util.Map.of("captured", payment.cents()));
                }, KindOptions.defaults().retryPolicy(RetryPolicy.exponential(Duration.ofMillis(400), Duration.ofSeconds(2), 0.2)))
                .handler("image.resize", Image.class, (image, ctx) -> {
                    if (image.url().endsWith(".tiff")) {
                        return JobOutcome.fail("unsupported image format: " + image.url());
                    }
                    Thread.sleep(40);
                    return JobOutcome.success();
                })
                .handler("reminder.send", Reminder.class, (reminder, ctx) -> JobOutcome.success())
                .handler("alert.page", Page.class, (page, ctx) -> JobOutcome.success());
    }

    static List<JobRequest> jobs() {
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            jobs.add(JobRequest.of("email.send", new Email("user" + i + "@example.com", "Welcome")).tags("welcome"));
        }
        for (int i = 0; i < 16; i++) {
            jobs.add(JobRequest.of("report.render", new Report("monthly-" + i, 8)));
        }
        for (int i = 0; i < 30; i++) {
            jobs.add(JobRequest.of("payment.capture", new Payment("order-" + i, 1_000L + i)).maxAttempts(5));
        }
        for (int i = 0; i < 30; i++) {
            jobs.add(JobRequest.of("image.resize", new Image("https://img.example.com/" + i + (i == 7 ? ".tiff" : ".png"), 640)));
        }
        jobs.add(JobRequest.of("image.resize", new RawJson("\"not an image object\"")));
        for (int i = 0; i < 20; i++) {
            jobs.add(JobRequest.of("reminder.send", new Reminder("user" + i, "Your trial ends soon"))
                    .delay(Duration.ofMillis(2_000 + 200L * i)));
        }
        for (int i = 0; i < 10; i++) {
            jobs.add(JobRequest.of("alert.page", new Page("checkout", "error rate above 5%")).priority(10));
        }
        return jobs;
    }
}
