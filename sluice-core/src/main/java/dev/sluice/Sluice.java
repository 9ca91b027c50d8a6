package dev.sluice;

import dev.sluice.job.Activity;
import dev.sluice.job.ActivityQuery;
import dev.sluice.job.CancelResult;
import dev.sluice.job.EnqueueResult;
import dev.sluice.job.InvalidJobException;
import dev.sluice.job.Job;
import dev.sluice.job.JobHandler;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobRequest;
import dev.sluice.job.KindOptions;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.runtime.Engine;
import dev.sluice.runtime.RegisteredHandler;
import dev.sluice.runtime.ScheduleRegistration;
import dev.sluice.schedule.InvalidScheduleException;
import dev.sluice.schedule.Schedule;
import dev.sluice.schedule.ScheduleInfo;
import dev.sluice.schedule.ScheduleOptions;
import dev.sluice.schedule.ScheduledJob;
import dev.sluice.schedule.ScheduledRun;
import dev.sluice.schedule.UnknownScheduleException;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.QueueStateCount;
import dev.sluice.store.Stores;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcStores;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.wal.RecoveryReport;
import dev.sluice.wal.WalConfig;
import dev.sluice.wal.WalHealth;
import dev.sluice.wal.WalJournal;
import dev.sluice.wal.WalStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Sluice node: durable jobs on SQLite, PostgreSQL or MariaDB, embedded in your application.
 *
 * <pre>{@code
 * try (Sluice sluice = Sluice.builder()
 *         .sqlite(Path.of("jobs.db"))
 *         .queue("default", 8)
 *         .handler("email.send", Email.class, (email, ctx) -> {
 *             mailer.send(email);
 *             return JobOutcome.success();
 *         })
 *         .build()) {
 *     sluice.start();
 *     sluice.enqueue("email.send", new Email("ada@example.com"));
 * }
 * }</pre>
 *
 * A node that registers handlers fetches and runs jobs of those kinds from its queues; any node
 * can enqueue and inspect jobs. Many nodes may share one database. {@link #close()} is graceful
 * and idempotent. Thread-safe.
 */
public final class Sluice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sluice.class);
    private static final int MAX_ACTION_LENGTH = 100;
    private static final int MAX_MESSAGE_LENGTH = 65_536;

    private final Engine engine;
    private final SluiceConfig config;
    private final SluiceMetrics metrics;
    private final DataSource dataSource;

    private Sluice(Engine engine, SluiceConfig config, SluiceMetrics metrics, DataSource dataSource) {
        this.engine = engine;
        this.config = config;
        this.metrics = metrics;
        this.dataSource = dataSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Registers this node and starts fetching; enqueueing and queries work before too. */
    public Sluice start() {
        engine.start();
        return this;
    }

    /** Enqueues one job of {@code kind} with default options; returns its id. */
    public long enqueue(String kind, Object payload) {
        return enqueue(JobRequest.of(kind, payload));
    }

    /**
     * Enqueues one job; returns the id of the job that stands for it (with
     * {@link dev.sluice.job.KeyPolicy#keepExisting()}, possibly an older waiting job of its key).
     * Bad options throw {@link dev.sluice.job.InvalidJobException}.
     */
    public long enqueue(JobRequest request) {
        return engine.enqueuer().enqueue(null, List.of(request)).getFirst();
    }

    /** Enqueues one job and tells what happened: inserted or kept an existing one, and what it superseded. */
    public EnqueueResult enqueueDetailed(JobRequest request) {
        return engine.enqueuer().enqueueDetailed(null, List.of(request)).getFirst();
    }

    /**
     * Enqueues one job inside the caller's transaction on {@code connection}: it exists if and
     * only if that transaction commits. Sluice neither commits nor closes the connection.
     */
    public long enqueue(Connection connection, JobRequest request) {
        return engine.enqueuer().enqueue(requireConnection(connection), List.of(request)).getFirst();
    }

    /**
     * Enqueues many jobs in one transaction, ids in order: all of them or, when a request is bad,
     * none (the exception names the first bad request). Binary COPY on PostgreSQL from 256 jobs
     * (arrays below), one statement over a JSON array on MariaDB, one reused statement on SQLite
     * (in-process: no round trips to save).
     */
    public List<Long> enqueueAll(List<JobRequest> requests) {
        return engine.enqueuer().enqueue(null, requests);
    }

    /** Enqueues many jobs inside the caller's transaction. */
    public List<Long> enqueueAll(Connection connection, List<JobRequest> requests) {
        return engine.enqueuer().enqueue(requireConnection(connection), requests);
    }

    /**
     * Enqueues one job through the write-ahead log: validated like {@link #enqueue(JobRequest)},
     * appended to the log (durably or not, as {@link WalConfig#mode()} says) and returned at
     * memory speed. The job reaches the database, and workers, when the log flushes it. Needs
     * {@link Builder#wal(WalConfig)}.
     *
     * @return the log entry id (not the job id, which the job gets when it is flushed)
     * @throws dev.sluice.wal.WalBackpressureException when the log's backlog stayed full
     */
    public long enqueueBuffered(JobRequest request) {
        return engine.enqueuer().enqueueBuffered(request);
    }

    /** {@link #enqueueBuffered(JobRequest)} with default options. */
    public long enqueueBuffered(String kind, Object payload) {
        return enqueueBuffered(JobRequest.of(kind, payload));
    }

    /**
     * Logs what happened to a job, for people to read later ({@link #activities}). With the
     * write-ahead log it is appended and flushed in batches; without it, inserted at once.
     */
    public void log(long jobId, String action, String message) {
        logActivity(jobId, null, action, message);
    }

    /** Logs what happened to a batch; see {@link #log(long, String, String)}. */
    public void logBatch(long batchId, String action, String message) {
        logActivity(null, batchId, action, message);
    }

    private void logActivity(Long jobId, Long batchId, String action, String message) {
        if (action == null || action.isBlank() || action.length() > MAX_ACTION_LENGTH) {
            throw new InvalidJobException("action", "action must be 1 to " + MAX_ACTION_LENGTH + " characters, got '"
                    + action + "'");
        }
        if (message == null || message.length() > MAX_MESSAGE_LENGTH) {
            throw new InvalidJobException("message", "message must not be null nor over " + MAX_MESSAGE_LENGTH
                    + " characters, got " + (message == null ? "null" : message.length() + " characters"));
        }
        NewActivity activity = new NewActivity(jobId, batchId, action, message, config.nodeId(),
                System.currentTimeMillis());
        WalJournal journal = engine.journal();
        if (journal != null) {
            journal.appendActivity(activity);
        } else {
            engine.stores().activities().activityInsert(activity);
        }
    }

    /** Activity log entries of one job or batch, oldest first (those the log has flushed). */
    public List<Activity> activities(ActivityQuery query) {
        return engine.stores().activities().activityList(query);
    }

    /** The write-ahead log's health, when it is enabled. */
    public Optional<WalHealth> walHealth() {
        return Optional.ofNullable(engine.journal()).map(j -> j.log().health());
    }

    /** The write-ahead log's counters, when it is enabled. */
    public Optional<WalStats> walStats() {
        return Optional.ofNullable(engine.journal()).map(j -> j.log().stats());
    }

    /** What opening the write-ahead log repaired and replayed, when it is enabled. */
    public Optional<RecoveryReport> walRecovery() {
        return Optional.ofNullable(engine.journal()).map(j -> j.log().recovery());
    }

    /**
     * Waits until everything appended to the write-ahead log so far is in the database; false on
     * timeout. True at once without the log.
     */
    public boolean awaitWalFlushed(Duration timeout) {
        WalJournal journal = engine.journal();
        return journal == null || journal.log().awaitFlushed(timeout);
    }

    private static Connection requireConnection(Connection connection) {
        if (connection == null) {
            throw new IllegalArgumentException("connection must not be null; use enqueue(request) without one");
        }
        return connection;
    }

    /** The job with {@code id}, if it exists. */
    public Optional<Job> job(long id) {
        return engine.stores().jobs().jobGet(id);
    }

    /** One page of jobs matching {@code query}, newest first. */
    public JobPage jobs(JobQuery query) {
        return engine.stores().jobs().jobList(query);
    }

    /** Cancels a waiting job, or signals a running one; see {@link CancelResult}. */
    public CancelResult cancel(long id) {
        return engine.cancel(id);
    }

    /** Makes a discarded or cancelled job available again (granting one more attempt if needed). */
    public boolean retry(long id) {
        return engine.stores().jobs().jobRetry(id);
    }

    /** Deletes a job that is not running. */
    public boolean delete(long id) {
        return engine.stores().jobs().jobDelete(id);
    }

    /**
     * A change detector named {@code controller}: it enqueues {@code <controller>.create},
     * {@code .update} and {@code .delete} jobs for what changed at a source since its last run.
     */
    public dev.sluice.cdc.ChangeDetector changeDetector(String controller) {
        return new dev.sluice.cdc.ChangeDetector(controller, engine.enqueuer(), engine.stores().cdc());
    }

    /** Counts of jobs per queue and state. */
    public List<QueueStateCount> counts() {
        return engine.stores().jobs().jobCountByQueueAndState();
    }

    /** Kinds that have waiting jobs but no handler on any live node: they will wait forever. */
    public List<String> kindsWithoutHandlers() {
        return engine.kindsWithoutHandlers();
    }

    /** The nodes whose heartbeat is current. */
    public List<NodeInfo> nodes() {
        return engine.liveNodes();
    }

    /**
     * Every schedule stored in this database (registered by any node), by name, with its next
     * run times, pause state and latest run.
     */
    public List<ScheduleInfo> schedules() {
        return engine.schedules().list();
    }

    /**
     * Stops firing the schedule {@code name} on every node until it is resumed; runs already
     * enqueued are not touched. Nothing happens when it is paused already.
     *
     * @throws UnknownScheduleException when no schedule has that name
     */
    public void pauseSchedule(String name) {
        engine.schedules().pause(name);
    }

    /**
     * Fires the schedule {@code name} again from its next time after now; what fell due while it
     * was paused does not run. Nothing happens when it is not paused.
     *
     * @throws UnknownScheduleException when no schedule has that name
     */
    public void resumeSchedule(String name) {
        engine.schedules().resume(name);
    }

    /**
     * Enqueues one run of the schedule {@code name} now, outside its times (which stay as they
     * are), even while it is paused. The run is recorded as the schedule's latest and tagged
     * {@code triggered}. Returns the job's id.
     *
     * @throws UnknownScheduleException when no schedule has that name
     */
    public long triggerSchedule(String name) {
        return engine.schedules().trigger(name);
    }

    /** This node's settings. */
    public SluiceConfig config() {
        return config;
    }

    /** The meter registry Sluice records into. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * The connection pool on this node's database, for components that keep their own tables
     * next to the jobs (such as {@code BufferedQueue}'s store). Sluice owns it: do not close it;
     * it is closed with this node.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The database in use: {@code sqlite}, {@code postgresql} or {@code mariadb}. */
    public String dialect() {
        return engine.stores().dialect();
    }

    /** True while this node is the one doing cluster maintenance (rescue, pruning). */
    public boolean isLeader() {
        return engine.isLeader();
    }

    /** Graceful stop; see {@link Engine#close()}. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Builds a {@link Sluice}. Not thread-safe; every setter checks its value and
     * {@link #build()} checks the whole.
     */
    public static final class Builder {
        private DataSource dataSource;
        private String jdbcUrl;
        private String user;
        private String password;
        private Path sqliteFile;
        private int poolSize = 10;
        private final Map<String, Integer> queues = new LinkedHashMap<>();
        private final Set<String> knownQueues = new LinkedHashSet<>();
        private final Map<String, RegisteredHandler<?>> handlers = new LinkedHashMap<>();
        private final Map<String, ScheduleRegistration> schedules = new LinkedHashMap<>();
        private String nodeId;
        private int fetchBatchSize = 100;
        private int prefetch;
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration heartbeatInterval = Duration.ofSeconds(2);
        private Duration pollMin = Duration.ofMillis(25);
        private Duration pollMax = Duration.ofSeconds(1);
        private int completionBatchSize = 500;
        private int completionWriters = 0;
        private Duration completionMaxDelay = Duration.ofMillis(5);
        private Duration retention = Duration.ofDays(1);
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private int maxPayloadBytes = 1 << 20;
        private Duration metricsInterval = Duration.ofSeconds(10);
        private MeterRegistry meterRegistry;
        private ErrorListener errorListener = (loop, error) -> { };
        private final Map<String, Integer> concurrencyLimits = new LinkedHashMap<>();
        private final List<dev.sluice.job.RateLimit> rateLimits = new java.util.ArrayList<>();
        private WalConfig wal;

        private Builder() {
        }

        /**
         * Enables the write-ahead log in {@code config.directory()}: buffered enqueue, activity
         * logs through it, and completions made durable locally before they are written. The
         * directory belongs to this node alone. Unflushed records left by a crash are replayed
         * when {@link #build()} opens it.
         */
        public Builder wal(WalConfig config) {
            if (config == null) {
                throw new IllegalArgumentException("wal config must not be null");
            }
            this.wal = config;
            return this;
        }

        /** Stores jobs in a SQLite file (the default is {@code sluice.db} in the working directory). */
        public Builder sqlite(Path file) {
            this.sqliteFile = file;
            return this;
        }

        /** Stores jobs in the database at {@code url} (jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb:). */
        public Builder jdbcUrl(String url, String user, String password) {
            Dialect.fromJdbcUrl(url);
            this.jdbcUrl = url;
            this.user = user;
            this.password = password;
            return this;
        }

        /** Uses the caller's pool; Sluice does not close it. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** The pool size when Sluice creates the pool for a server database. */
        public Builder poolSize(int poolSize) {
            if (poolSize < 2) {
                throw new IllegalArgumentException("poolSize must be at least 2, got " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Fetches {@code queue} on this node, running up to {@code concurrency} of its jobs at once. */
        public Builder queue(String queue, int concurrency) {
            if (queue == null || queue.isBlank()) {
                throw new IllegalArgumentException("queue name must not be blank");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("queue '" + queue + "' concurrency must be at least 1, got " + concurrency);
            }
            queues.put(queue, concurrency);
            return this;
        }

        /** Queues this node may enqueue to without fetching them (other nodes run them). */
        public Builder knownQueues(String... names) {
            knownQueues.addAll(List.of(names));
            return this;
        }

        /** Registers the handler of {@code kind} with default options. */
        public <T> Builder handler(String kind, Class<T> payloadType, JobHandler<T> handler) {
            return handler(kind, payloadType, handler, KindOptions.defaults());
        }

        /** Registers the handler of {@code kind} with its timeout, retry policy and default attempts. */
        public <T> Builder handler(String kind, Class<T> payloadType, JobHandler<T> handler, KindOptions options) {
            if (kind == null || kind.isBlank()) {
                throw new IllegalArgumentException("handler kind must not be blank");
            }
            if (payloadType == null || handler == null || options == null) {
                throw new IllegalArgumentException("handler '" + kind + "' needs a payload type, a handler and options");
            }
            if (handlers.containsKey(kind)) {
                throw new IllegalArgumentException("a handler for kind '" + kind + "' is already registered");
            }
            handlers.put(kind, new RegisteredHandler<>(kind, payloadType, handler, options));
            return this;
        }

        /**
         * Runs {@code job} at each occurrence of {@code schedule}, with default options: missed
         * occurrences collapse into one run, jobs go to the default queue.
         *
         * @see #schedule(String, Schedule, ScheduledJob, ScheduleOptions)
         */
        public Builder schedule(String name, Schedule schedule, ScheduledJob job) {
            return schedule(name, schedule, job, ScheduleOptions.defaults());
        }

        /**
         * Registers a recurring schedule: at each occurrence of {@code schedule}, {@code job}
         * enqueues one job, exactly once across all nodes that register the same schedule (the
         * occurrence is a row keyed by name and time, written in the job's transaction). The
         * schedule is stored when the node starts and survives restarts: after downtime,
         * {@code options.catchUp()} decides how many missed occurrences run.
         *
         * <pre>{@code
         * .schedule("nightly-report", Schedule.cron("0 2 * * *", "Europe/Berlin"),
         *         ScheduledJob.enqueue("report.render", new Report("daily")),
         *         ScheduleOptions.defaults().catchUp(CatchUp.runMissed(3)).queue("reports"))
         * .schedule("heartbeat", Schedule.every(Duration.ofSeconds(30)),
         *         ScheduledJob.handler((run, ctx) -> { ping(); return JobOutcome.success(); }))
         * }</pre>
         *
         * A handler schedule registers the handler of kind {@code schedule:<name>} on this node.
         *
         * @param name unique per database, 1 to 200 characters, no surrounding spaces
         * @throws InvalidScheduleException when a value is missing or bad, or the name is taken
         */
        public Builder schedule(String name, Schedule schedule, ScheduledJob job, ScheduleOptions options) {
            if (name == null || name.isEmpty() || name.length() > 200 || !name.strip().equals(name)
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidScheduleException("schedule name must be 1 to 200 characters without surrounding"
                        + " spaces or control characters, got '" + name + "'");
            }
            if (schedule == null || job == null || options == null) {
                throw new InvalidScheduleException("schedule '" + name + "' needs a schedule, a job and options");
            }
            if (schedules.containsKey(name)) {
                throw new InvalidScheduleException("a schedule named '" + name + "' is already registered");
            }
            if (job instanceof ScheduledJob.Handler h) {
                String kind = ScheduleRegistration.KIND_PREFIX + name;
                if (handlers.containsKey(kind)) {
                    throw new InvalidScheduleException("schedule '" + name + "': a handler for kind '" + kind
                            + "' is already registered");
                }
                KindOptions kindOptions = options.maxAttempts() == null ? KindOptions.defaults()
                        : KindOptions.defaults().maxAttempts(options.maxAttempts());
                handlers.put(kind, new RegisteredHandler<>(kind, ScheduledRun.class, h.handler()::handle, kindOptions));
            }
            schedules.put(name, new ScheduleRegistration(name, schedule, job, options));
            return this;
        }

        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Builder fetchBatchSize(int n) {
            this.fetchBatchSize = n;
            return this;
        }

        /**
         * Lets each queue claim up to {@code jobs} more than it has free slots, and start them as
         * slots free up. With short jobs and a small concurrency this turns many small fetches into
         * few large ones. A prefetched job is leased (and its attempt counted) from its claim; it is
         * handed back if the node stops before starting it. Default 0: claim only what can start.
         */
        public Builder prefetch(int jobs) {
            this.prefetch = jobs;
            return this;
        }

        public Builder leaseDuration(Duration d) {
            this.leaseDuration = d;
            return this;
        }

        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = d;
            return this;
        }

        public Builder pollInterval(Duration min, Duration max) {
            this.pollMin = min;
            this.pollMax = max;
            return this;
        }

        public Builder completionBatching(int batchSize, Duration maxDelay) {
            this.completionBatchSize = batchSize;
            this.completionMaxDelay = maxDelay;
            return this;
        }

        /**
         * Threads that write completion batches side by side (default 0: one on SQLite, two on
         * PostgreSQL and MariaDB). More help when completions wait on the database's commits.
         */
        public Builder completionWriters(int writers) {
            this.completionWriters = writers;
            return this;
        }

        public Builder retention(Duration d) {
            this.retention = d;
            return this;
        }

        public Builder maintenanceInterval(Duration d) {
            this.maintenanceInterval = d;
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            this.shutdownGrace = d;
            return this;
        }

        public Builder maxPayloadBytes(int bytes) {
            this.maxPayloadBytes = bytes;
            return this;
        }

        public Builder metricsInterval(Duration d) {
            this.metricsInterval = d;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Lets at most {@code limit} jobs be active at once in every stream whose name starts with
         * {@code prefix}, and groups keyed jobs without a stream whose key starts with it into one
         * stream named {@code prefix}. Streams default to one at a time.
         */
        public Builder concurrencyLimit(String prefix, int limit) {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("concurrency limit prefix must not be empty");
            }
            if (limit < 1) {
                throw new IllegalArgumentException("concurrency limit of '" + prefix + "' must be at least 1, got " + limit);
            }
            concurrencyLimits.put(prefix, limit);
            return this;
        }

        /** Limits job starts of a queue or kind across all nodes; see {@link dev.sluice.job.RateLimit}. */
        public Builder rateLimit(dev.sluice.job.RateLimit limit) {
            rateLimits.add(java.util.Objects.requireNonNull(limit, "rate limit"));
            return this;
        }

        public Builder errorListener(ErrorListener listener) {
            this.errorListener = listener;
            return this;
        }

        /** Checks the settings, opens the database and applies pending migrations. */
        public Sluice build() {
            int sources = (dataSource != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0) + (sqliteFile != null ? 1 : 0);
            if (sources > 1) {
                throw new IllegalArgumentException("give one of dataSource, jdbcUrl or sqlite, not " + sources);
            }
            if (queues.isEmpty()) {
                queues.put(JobRequest.DEFAULT_QUEUE, 10);
            }
            knownQueues.add(JobRequest.DEFAULT_QUEUE);
            SluiceConfig config = new SluiceConfig(nodeId != null ? nodeId : newNodeId(), queues, knownQueues,
                    fetchBatchSize, prefetch, leaseDuration, heartbeatInterval, pollMin, pollMax, completionBatchSize,
                    completionMaxDelay, completionWriters, retention, maintenanceInterval, shutdownGrace, maxPayloadBytes, metricsInterval,
                    concurrencyLimits, rateLimits);
            HikariDataSource created = dataSource == null ? newPool() : null;
            Stores stores = openStores(created);
            DataSource pool = created != null ? created : dataSource;
            SluiceMetrics metrics = new SluiceMetrics(meterRegistry != null ? meterRegistry : new SimpleMeterRegistry());
            ErrorListener listener = safe(errorListener);
            WalJournal journal = null;
            try {
                journal = wal == null ? null
                        : WalJournal.open(wal, stores.wal(), metrics.registry(), e -> listener.onError("wal-flush", e));
                return new Sluice(new Engine(config, stores, handlers, List.copyOf(schedules.values()), metrics, listener,
                        journal), config, metrics, pool);
            } catch (RuntimeException e) {
                if (journal != null) {
                    journal.close();
                }
                try {
                    stores.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        private HikariDataSource newPool() {
            String url = jdbcUrl != null ? jdbcUrl
                    : "jdbc:sqlite:" + (sqliteFile != null ? sqliteFile : Path.of("sluice.db")).toAbsolutePath();
            return JdbcStores.pool(url, user, password, poolSize);
        }

        /** Opens the stores on the pool Sluice {@code created}, or on the caller's when that is null. */
        private Stores openStores(HikariDataSource created) {
            if (created == null) {
                return JdbcStores.open(dataSource, Dialect.detect(dataSource), () -> { });
            }
            try {
                return JdbcStores.open(created, Dialect.fromJdbcUrl(created.getJdbcUrl()), created);
            } catch (RuntimeException e) {
                created.close();
                throw e;
            }
        }

        private static ErrorListener safe(ErrorListener listener) {
            return (loop, error) -> {
                try {
                    listener.onError(loop, error);
                } catch (RuntimeException e) {
                    LOG.warn("error listener threw: {}", e.toString());
                }
            };
        }

        private static String newNodeId() {
            String host = hostShort();
            return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }

        private static String hostShort() {
            try {
                String h = java.net.InetAddress.getLocalHost().getHostName();
                return h.length() > 40 ? h.substring(0, 40) : h;
            } catch (java.net.UnknownHostException e) {
                return "node";
            }
        }
    }
}
