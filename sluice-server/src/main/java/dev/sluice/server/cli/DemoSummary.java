package dev.sluice.server.cli;

import dev.sluice.job.Job;
import dev.sluice.job.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Prints what the demo's jobs went through, per kind. */
final class DemoSummary {
    private DemoSummary() {
    }

    static void print(List<Job> jobs, PrintStream out) {
        out.println();
        out.printf("%-16s %5s %10s %10s %9s %14s %12s%n", "kind", "jobs", "completed", "discarded", "attempts",
                "avg wait ms", "avg run ms");
        for (Map.Entry<String, List<Job>> e : DemoCommand.byKind(jobs).entrySet()) {
            List<Job> js = e.getValue();
            out.printf("%-16s %5d %10d %10d %9d %14.1f %12.1f%n", e.getKey(), js.size(),
                    count(js, JobState.COMPLETED), count(js, JobState.DISCARDED),
                    js.stream().mapToInt(Job::attempt).sum(),
                    js.stream().filter(j -> j.startedAt() != null)
                            .mapToLong(j -> Duration.between(j.runAt(), j.startedAt()).toMillis()).average().orElse(0),
                    js.stream().filter(j -> j.startedAt() != null && j.finishedAt() != null)
                            .mapToLong(j -> Duration.between(j.startedAt(), j.finishedAt()).toMillis()).average().orElse(0));
        }
        jobs.stream().filter(j -> j.state() == JobState.DISCARDED).forEach(j ->
                out.println("discarded job " + j.id() + " (" + j.kind() + "): " + j.lastError()));
        jobs.stream().filter(j -> j.kind().equals("payment.capture")).findFirst().ifPresent(j ->
                out.println("retried job " + j.id() + " (payment.capture): " + j.errors().size()
                        + " failed attempts before success, e.g. \"" + (j.errors().isEmpty() ? "" : j.errors().getFirst().message()) + "\""));
    }

    private static long count(List<Job> jobs, JobState state) {
        return jobs.stream().filter(j -> j.state() == state).count();
    }
}
