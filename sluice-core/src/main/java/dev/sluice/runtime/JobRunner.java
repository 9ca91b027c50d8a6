package dev.sluice.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.internal.Json;
import dev.sluice.job.Job;
import dev.sluice.job.JobError;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.RawJson;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.JobFinish;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one attempt: decodes the payload, calls the handler, and turns what happened into an
 * {@link AttemptEnd}. A payload that does not decode is a permanent failure (retrying cannot fix
 * it); an exception is a retry; a stop reason overrides the handler's answer. Stateless.
 */
final class JobRunner {
    private final String nodeId;

    JobRunner(String nodeId) {
        this.nodeId = nodeId;
    }

    <T> AttemptEnd run(RunningJob running, RegisteredHandler<T> handler) {
        Job job = running.job();
        T payload;
        try {
            payload = decode(job.payload(), handler.payloadType());
        } catch (JsonProcessingException e) {
            return discard(job, "payload does not decode as " + handler.payloadType().getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
        JobOutcome outcome;
        try {
            outcome = handler.handler().handle(payload, running);
            if (outcome == null) {
                outcome = JobOutcome.retryLater("handler returned null instead of an outcome");
            }
        } catch (InterruptedException e) {
            outcome = JobOutcome.retryLater("interrupted");
        } catch (Exception | LinkageError | AssertionError e) {
            outcome = JobOutcome.retryLater(describe(e));
        }
        // A handler interrupted by a stop may still be in interrupted state; clear it for the writer.
        Thread.interrupted();
        RunningJob.StopReason reason = running.stopReason();
        if (reason == RunningJob.StopReason.HANDED_BACK || reason == RunningJob.StopReason.LEASE_LOST) {
            return new AttemptEnd.HandBack();
        }
        if (reason == RunningJob.StopReason.TIMED_OUT && !(outcome instanceof JobOutcome.Success)) {
            outcome = JobOutcome.retryLater("timed out after " + running.timeout());
        }
        return end(job, outcome, handler.options().retryPolicy());
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(String json, Class<T> type) throws JsonProcessingException {
        if (type == RawJson.class) {
            return (T) new RawJson(json);
        }
        return Json.mapper().readValue(json, type);
    }

    private AttemptEnd end(Job job, JobOutcome outcome, RetryPolicy policy) {
        return switch (outcome) {
            case JobOutcome.Success s -> new AttemptEnd.Finish(new JobFinish(job.id(), job.attempt(), "completed", 0,
                    s.result() == null ? null : Json.write(s.result()), null, job.stream()), job.errors());
            case JobOutcome.Fail f -> discard(job, f.message());
            case JobOutcome.RetryLater r -> {
                if (!policy.retries() || job.attempt() >= job.maxAttempts()) {
                    String why = policy.retries() ? " (attempt " + job.attempt() + " of " + job.maxAttempts() + ", none left)"
                            : " (retry policy: none)";
                    yield discard(job, r.message() + why);
                }
                Duration delay = r.delay() != null ? r.delay() : policy.delayAfter(job.attempt());
                List<JobError> errors = withError(job, r.message());
                yield new AttemptEnd.Finish(new JobFinish(job.id(), job.attempt(), "retryable",
                        Math.max(0, delay.toMillis()), null, Json.write(errors), job.stream()), errors);
            }
        };
    }

    private AttemptEnd discard(Job job, String message) {
        List<JobError> errors = withError(job, message);
        return new AttemptEnd.Finish(new JobFinish(job.id(), job.attempt(), "discarded", 0, null, Json.write(errors),
                job.stream()),
                errors);
    }

    private List<JobError> withError(Job job, String message) {
        List<JobError> errors = new ArrayList<>(job.errors());
        errors.add(new JobError(job.attempt(), Instant.now(), message == null ? "(no message)" : message, nodeId));
        return errors;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
