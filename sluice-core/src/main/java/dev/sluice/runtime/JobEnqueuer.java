package dev.sluice.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.SluiceConfig;
import dev.sluice.internal.Json;
import dev.sluice.internal.JsonBatchWriter;
import dev.sluice.job.EnqueueResult;
import dev.sluice.job.InvalidJobException;
import dev.sluice.job.KeyPolicy;
import dev.sluice.job.JobRequest;
import dev.sluice.job.PayloadTooLargeException;
import dev.sluice.job.RawJson;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.PlainJobs;
import dev.sluice.wal.WalJournal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Validates job requests and inserts them. A bad request rejects the whole call, naming the first
 * bad one, and nothing is half-enqueued. Every request is checked before the store is called,
 * except in one case: a large call of plain jobs, in a transaction of its own, to a store that
 * inserts while it reads ({@link JobStore#insertsWhileReadingJobs}) has its options checked first
 * and its payloads encoded as the store inserts them ({@link PlainJobs}); a bad payload then rolls
 * the insert back. Thread-safe.
 */
public final class JobEnqueuer {
    static final int MAX_KIND_LENGTH = 255;
    static final int MAX_QUEUE_LENGTH = 100;
    static final int MAX_TAG_LENGTH = 100;
    static final int DEFAULT_MAX_ATTEMPTS = 25;
    /**
     * From this many plain requests, payloads are encoded as the store inserts them
     * ({@link PlainJobs}) rather than all before: on PostgreSQL the COPY path (256 jobs or more)
     * then has the server inserting while the client encodes.
     */
    static final int MIN_MADE_WHILE_INSERTED = 256;

    private final SluiceConfig config;
    private final Map<String, RegisteredHandler<?>> handlers;
    private final JobStore store;
    private final SluiceMetrics metrics;
    private final Consumer<String> localWake;
    private final WalJournal journal;

    JobEnqueuer(SluiceConfig config, Map<String, RegisteredHandler<?>> handlers, JobStore store,
                SluiceMetrics metrics, Consumer<String> localWake, WalJournal journal) {
        this.config = config;
        this.handlers = handlers;
        this.store = store;
        this.metrics = metrics;
        this.localWake = localWake;
        this.journal = journal;
    }

    /**
     * Validates like {@link #enqueue} and appends the job to the write-ahead log; returns its
     * entry id. The job reaches {@code sluice_job} (and gets its id) when the log flushes.
     */
    public long enqueueBuffered(JobRequest request) {
        if (journal == null) {
            throw new IllegalStateException("buffered enqueue needs the write-ahead log: configure it with"
                    + " Sluice.Builder.wal(WalConfig)");
        }
        NewJob job = validate(request, "");
        if (job.gated()) {
            // Keys and streams are decided under their locks at insert; the log's batched insert has none.
            throw new InvalidJobException(job.key() != null ? "key" : "stream",
                    "buffered enqueue does not take keyed or stream jobs; use enqueue for them");
        }
        return journal.appendJob(job);
    }

    /** Enqueues in one transaction (the caller's, when {@code connection} is not null); ids in order. */
    public List<Long> enqueue(Connection connection, List<JobRequest> requests) {
        return enqueueDetailed(connection, requests).stream().map(EnqueueResult::id).toList();
    }

    /** Validates requests into jobs ready to insert; throws naming the first bad option. */
    public List<NewJob> prepare(List<JobRequest> requests) {
        List<NewJob> jobs = new ArrayList<>(requests.size());
        try (JsonBatchWriter payloads = new JsonBatchWriter()) {
            for (int i = 0; i < requests.size(); i++) {
                jobs.add(validate(requests.get(i), requests.size() == 1 ? "" : "job " + i + ": ", payloads));
            }
        }
        return jobs;
    }

    /** Counts jobs inserted by another path (change detection) and wakes local fetchers. */
    public void announce(List<NewJob> jobs) {
        Set<String> queues = new LinkedHashSet<>();
        for (NewJob job : jobs) {
            metrics.count("enqueued", job.queue(), job.kind());
            queues.add(job.queue());
        }
        queues.forEach(localWake);
    }

    /** Like {@link #enqueue}, telling for each request what happened. */
    public List<EnqueueResult> enqueueDetailed(Connection connection, List<JobRequest> requests) {
        List<NewJob> jobs;
        List<EnqueueResult> ids;
        if (connection == null && requests.size() >= MIN_MADE_WHILE_INSERTED && store.insertsWhileReadingJobs()
                && plain(requests)) {
            List<Options> options = checkAllOptions(requests);
            try (JsonBatchWriter payloads = new JsonBatchWriter()) {
                jobs = new PlainJobs(requests.size(),
                        i -> options.get(i).with(payload(requests.get(i), "job " + i + ": ", payloads)));
                ids = store.jobEnqueueMany(null, jobs);
            }
        } else {
            jobs = prepare(requests);
            ids = store.jobEnqueueMany(connection, jobs);
        }
        Set<String> queues = new LinkedHashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            if (ids.get(i).inserted()) {
                metrics.count("enqueued", job.queue(), job.kind());
            }
            if (!ids.get(i).superseded().isEmpty()) {
                for (int n = 0; n < ids.get(i).superseded().size(); n++) {
                    metrics.count("superseded", job.queue(), job.kind());
                }
            }
            queues.add(job.queue());
        }
        // In the caller's transaction the jobs are not visible yet; the poll (or NOTIFY) finds them.
        if (connection == null) {
            queues.forEach(localWake);
        }
        return ids;
    }

    /**
     * Checks every request's options before the store takes a connection, so that a bad option
     * fails at once whatever the database is doing. A bad payload before the first bad option is
     * still the one reported: the payloads up to it are encoded here in that case.
     */
    private List<Options> checkAllOptions(List<JobRequest> requests) {
        List<Options> checked = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                checked.add(options(requests.get(i), "job " + i + ": "));
            } catch (RuntimeException badOption) {
                try (JsonBatchWriter payloads = new JsonBatchWriter()) {
                    for (int j = 0; j < i; j++) {
                        payload(requests.get(j), "job " + j + ": ", payloads);
                    }
                }
                throw badOption;
            }
        }
        return checked;
    }

    /** Neither a key nor a stream: nothing to decide under a lock at insert. */
    private static boolean plain(List<JobRequest> requests) {
        for (JobRequest r : requests) {
            if (r == null || r.key() != null || r.stream() != null) {
                return false;
            }
        }
        return true;
    }

    NewJob validate(JobRequest r, String where) {
        try (JsonBatchWriter payloads = new JsonBatchWriter()) {
            return validate(r, where, payloads);
        }
    }

    private NewJob validate(JobRequest r, String where, JsonBatchWriter payloads) {
        Options options = options(r, where);
        return options.with(payload(r, where, payloads));
    }

    /** Checks everything of a request but its payload; throws naming the first bad option. */
    private Options options(JobRequest r, String where) {
        if (r == null) {
            throw new InvalidJobException("request", where + "request must not be null");
        }
        String kind = r.kind();
        if (kind == null || kind.isBlank()) {
            throw new InvalidJobException("kind", where + "kind must not be blank");
        }
        if (kind.length() > MAX_KIND_LENGTH) {
            throw new InvalidJobException("kind", where + "kind is " + kind.length() + " characters, over " + MAX_KIND_LENGTH);
        }
        String queue = r.queueOrDefault();
        if (queue.isBlank() || queue.length() > MAX_QUEUE_LENGTH) {
            throw new InvalidJobException("queue", where + "queue must be 1 to " + MAX_QUEUE_LENGTH + " characters, got '" + queue + "'");
        }
        if (!config.isKnownQueue(queue)) {
            throw new InvalidJobException("queue", where + "unknown queue '" + queue + "'; known queues: "
                    + new java.util.TreeSet<>(union(config.queues().keySet(), config.knownQueues()))
                    + " (declare it with Sluice.Builder.queue or knownQueues)");
        }
        if (r.delay() != null && r.delay().isNegative()) {
            throw new InvalidJobException("delay", where + "delay must not be negative, got " + r.delay());
        }
        if (r.delay() != null && r.runAt() != null) {
            throw new InvalidJobException("delay", where + "give either delay or runAt, not both");
        }
        RegisteredHandler<?> handler = handlers.get(kind);
        int maxAttempts = r.maxAttempts() != null ? r.maxAttempts()
                : handler != null ? handler.options().maxAttempts() : DEFAULT_MAX_ATTEMPTS;
        if (maxAttempts < 1) {
            throw new InvalidJobException("maxAttempts", where + "maxAttempts must be at least 1, got " + maxAttempts);
        }
        for (String tag : r.tags()) {
            if (tag == null || tag.isBlank() || tag.length() > MAX_TAG_LENGTH) {
                throw new InvalidJobException("tags", where + "each tag must be 1 to " + MAX_TAG_LENGTH + " characters, got '" + tag + "'");
            }
        }
        String key = checkName("key", r.key(), where);
        String stream = checkName("stream", r.stream(), where);
        if (r.streamLimit() != null && r.streamLimit() < 1) {
            throw new InvalidJobException("streamLimit", where + "stream limit must be at least 1, got " + r.streamLimit());
        }
        if (r.keyPolicy() != null && key == null) {
            throw new InvalidJobException("keyPolicy", where + "a key policy needs a key");
        }
        long delayMillis = r.delay() == null ? 0 : r.delay().toMillis();
        if (r.keyPolicy() instanceof KeyPolicy.Debounce debounce) {
            if (r.delay() != null || r.runAt() != null) {
                throw new InvalidJobException("keyPolicy", where + "debounce sets the delay itself; drop delay or runAt");
            }
            delayMillis = debounce.window().toMillis();
        }
        int streamLimit = 1;
        if (stream != null) {
            streamLimit = r.streamLimit() != null ? r.streamLimit()
                    : config.concurrencyLimitFor(stream).map(Map.Entry::getValue).orElse(1);
        } else if (key != null) {
            var group = config.concurrencyLimitFor(key);
            if (group.isPresent()) {
                stream = group.get().getKey();
                streamLimit = group.get().getValue();
            }
        }
        boolean later = r.runAt() != null || delayMillis > 0;
        return new Options(kind, queue, later ? "scheduled" : "available", r.priority(), tagsJson(r.tags()),
                maxAttempts, r.runAt() == null ? null : r.runAt().toEpochMilli(), delayMillis, key,
                r.keyPolicy() instanceof KeyPolicy.KeepExisting, stream, streamLimit);
    }

    /** The request's payload as JSON; throws when it cannot be written or is over the size limit. */
    private String payload(JobRequest r, String where, JsonBatchWriter payloads) {
        String payload = encode(r.payload(), where, payloads);
        // A UTF-16 char is at most 3 bytes of UTF-8, so most payloads need no byte count at all.
        if ((long) payload.length() * 3 > config.maxPayloadBytes()) {
            int size = payload.getBytes(StandardCharsets.UTF_8).length;
            if (size > config.maxPayloadBytes()) {
                throw new PayloadTooLargeException(size, config.maxPayloadBytes());
            }
        }
        return payload;
    }

    /** A checked request, all of a {@link NewJob} but the payload. */
    private record Options(String kind, String queue, String state, int priority, String tags, int maxAttempts,
                           Long runAtMillis, long delayMillis, String key, boolean keepExisting, String stream,
                           int streamLimit) {
        NewJob with(String payload) {
            return new NewJob(kind, queue, state, priority, payload, tags, maxAttempts, runAtMillis, delayMillis, key,
                    keepExisting, stream, streamLimit);
        }
    }

    /** Most jobs have no tags; their "[]" is not worth a trip through Jackson per job. */
    private static String tagsJson(List<String> tags) {
        return tags.isEmpty() ? "[]" : Json.write(tags);
    }

    private static String checkName(String option, String value, String where) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_KIND_LENGTH) {
            throw new InvalidJobException(option, where + option + " must be 1 to " + MAX_KIND_LENGTH
                    + " characters, got '" + value + "'");
        }
        return value;
    }

    private static String encode(Object payload, String where, JsonBatchWriter payloads) {
        if (payload instanceof RawJson raw) {
            try {
                Json.mapper().readTree(raw.json());
                return raw.json();
            } catch (JsonProcessingException e) {
                throw new InvalidJobException("payload", where + "payload is not valid JSON: " + e.getOriginalMessage());
            }
        }
        try {
            return payloads.write(payload);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("payload", where + e.getMessage());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }
}
