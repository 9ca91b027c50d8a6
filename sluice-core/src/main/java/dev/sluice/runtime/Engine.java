package dev.sluice.runtime;

import dev.sluice.ErrorListener;
import dev.sluice.SluiceConfig;
import dev.sluice.job.CancelResult;
import dev.sluice.job.InvalidJobException;
import dev.sluice.job.JobRequest;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.schedule.InvalidScheduleException;
import dev.sluice.schedule.ScheduleOptions;
import dev.sluice.schedule.ScheduledJob;
import dev.sluice.schedule.ScheduledRun;
import dev.sluice.store.NewJob;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.NewJob;
import dev.sluice.store.Stores;
import dev.sluice.wal.WalJournal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: wires the queue workers, the completion writer, the heartbeat, the
 * maintenance leader, the metrics poller and (when it has schedules) the scheduler, and starts
 * and stops them in order. Public for {@code dev.sluice.Sluice}; not API. Thread-safe.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Duration STOP_BOUND = Duration.ofSeconds(5);
    /** The scheduler sleeps until the next due time, but never longer than this. */
    private static final Duration SCHEDULER_MAX_WAIT = Duration.ofSeconds(1);
    /** The most maintenance and queue-depth polling wait after start before their first run. */
    private static final Duration BACKGROUND_START_DELAY = Duration.ofSeconds(1);

    private final SluiceConfig config;
    private final Stores stores;
    private final NodeContext node;
    private final Map<String, QueueWorker> workers = new LinkedHashMap<>();
    private final LeaseKeeper leaseKeeper;
    private final PeriodicLoop heartbeat;
    private final MaintenanceLeader maintenance;
    private final PeriodicLoop maintenanceLoop;
    private final PeriodicLoop depthLoop;
    private final JobEnqueuer enqueuer;
    private final Scheduler scheduler;
    private final PeriodicLoop schedulerLoop;
    private final ScheduleControl scheduleControl;
    private final ScheduledExecutorService timer;
    private final WalJournal journal;
    private final AtomicInteger phase = new AtomicInteger(); // 0 new, 1 started, 2 closed

    public Engine(SluiceConfig config, Stores stores, Map<String, RegisteredHandler<?>> handlers,
                  SluiceMetrics metrics, ErrorListener errors) {
        this(config, stores, handlers, List.of(), metrics, errors, null);
    }

    /**
     * @param schedules the schedules this node fires; their handlers (for handler schedules) must be in {@code handlers}
     * @param journal the write-ahead log (buffered enqueues, activity logs, completions), or null;
     *                the engine closes it, before the stores
     * @throws InvalidScheduleException when a schedule's job is not acceptable (unknown queue, payload too large…)
     */
    public Engine(SluiceConfig config, Stores stores, Map<String, RegisteredHandler<?>> handlers,
                  List<ScheduleRegistration> schedules, SluiceMetrics metrics, ErrorListener errors,
                  WalJournal journal) {
        this.config = config;
        this.journal = journal;
        this.stores = stores;
        AtomicInteger timerThreads = new AtomicInteger();
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("sluice-timeouts-" + timerThreads.incrementAndGet()).unstarted(r));
        // Every attempt schedules its timeout and cancels it when done; without removal the cancelled
        // tasks of short jobs would pile up in the queue for a whole timeout (ten minutes by default).
        timeouts.setRemoveOnCancelPolicy(true);
        this.timer = timeouts;
        // SQLite has one writer at a time: a second completion thread would only wait for the first.
        int completionWriters = config.completionWriters() > 0 ? config.completionWriters()
                : "sqlite".equals(stores.dialect()) ? 1 : 2;
        KnownLeases leases = new KnownLeases();
        CompletionWriter completer = new CompletionWriter(stores.jobs(), config.nodeId(), config.completionBatchSize(),
                completionWriters, config.completionMaxDelay(), metrics, errors, journal, leases, this::wakeAllLocal,
                this::streamClaim, this::takeClaimed);
        this.node = new NodeContext(config.nodeId(), config, stores.jobs(), Map.copyOf(handlers),
                new ConcurrentHashMap<>(), leases, metrics, errors, timer, new JobRunner(config.nodeId()), completer,
                new ProgressBuffer());
        if (!handlers.isEmpty()) {
            config.queues().forEach((queue, concurrency) -> workers.put(queue, new QueueWorker(queue, concurrency, node)));
        }
        NodeInfo info = new NodeInfo(config.nodeId(), hostName(), List.copyOf(handlers.keySet()),
                List.copyOf(workers.keySet()), Instant.now(), Instant.now());
        this.leaseKeeper = new LeaseKeeper(node, stores.nodes(), info,
                journal == null ? () -> true : journal.log()::recoveredFlushed);
        this.heartbeat = new PeriodicLoop("heartbeat", config.heartbeatInterval(), leaseKeeper, errors);
        this.maintenance = new MaintenanceLeader(node, stores.leaders(), stores.nodes());
        this.maintenanceLoop = new PeriodicLoop("maintenance", config.maintenanceInterval(), maintenance, errors);
        this.depthLoop = new PeriodicLoop("metrics", config.metricsInterval(), new DepthPoller(node), errors);
        this.enqueuer = new JobEnqueuer(config, node.handlers(), stores.jobs(), metrics, this::wakeLocal, journal);
        if (journal != null) {
            journal.listen(new WalJournal.Listener() {
                @Override
                public void jobsInserted(List<NewJob> jobs) {
                    Set<String> queues = new HashSet<>();
                    for (NewJob job : jobs) {
                        metrics.count("enqueued", job.queue(), job.kind());
                        queues.add(job.queue());
                    }
                    queues.forEach(Engine.this::wakeLocal);
                }

                @Override
                public void completionsFlushed(List<WalJournal.FlushedCompletion> completions) {
                    completer.flushed(completions);
                }
            });
        }
        this.scheduleControl = new ScheduleControl(stores.schedules(), stores.jobs(), metrics, this::wakeLocal);
        if (schedules.isEmpty()) {
            this.scheduler = null;
            this.schedulerLoop = null;
        } else {
            this.scheduler = new Scheduler(schedules.stream().map(this::check).toList(), stores.schedules(),
                    stores.jobs(), metrics, errors, this::wakeLocal, SCHEDULER_MAX_WAIT, config.retention());
            this.schedulerLoop = new PeriodicLoop("scheduler", SCHEDULER_MAX_WAIT, scheduler, errors);
        }
    }

    /** Checks a schedule's job as an enqueue would, once, and keeps it encoded. */
    private RegisteredSchedule check(ScheduleRegistration r) {
        ScheduleOptions options = r.options();
        boolean describesRun = r.job() instanceof ScheduledJob.Handler;
        Object payload = switch (r.job()) {
            case ScheduledJob.Enqueue e -> e.payload();
            case ScheduledJob.Handler h -> new ScheduledRun(r.name(), Instant.EPOCH, false);
        };
        JobRequest request = JobRequest.of(r.kind(), payload).queue(options.queue()).priority(options.priority())
                .tags(RegisteredSchedule.tags(r.name(), false).toArray(String[]::new));
        if (options.maxAttempts() != null) {
            request = request.maxAttempts(options.maxAttempts());
        }
        try {
            NewJob template = enqueuer.validate(request, "");
            return new RegisteredSchedule(r.name(), r.schedule(), options.catchUp(), template, describesRun);
        } catch (InvalidJobException e) {
            throw new InvalidScheduleException("schedule '" + r.name() + "': " + e.getMessage());
        }
    }

    /** Listing, pausing, resuming and triggering schedules. */
    public ScheduleControl schedules() {
        return scheduleControl;
    }

    /** The write-ahead log, or null when it is not enabled. */
    public WalJournal journal() {
        return journal;
    }

    public JobEnqueuer enqueuer() {
        return enqueuer;
    }

    public Stores stores() {
        return stores;
    }

    /** Registers the node and starts every loop. */
    public void start() {
        if (!phase.compareAndSet(0, 1)) {
            throw new IllegalStateException(phase.get() == 1 ? "Sluice is already started" : "Sluice is closed");
        }
        leaseKeeper.run();
        if (scheduler != null) {
            scheduler.register();
        }
        node.completer().start();
        // The first fetches have the database (and, on small machines, its CPU) to themselves at
        // start-up: the heartbeat has just run above, and maintenance and queue depths can wait a
        // moment. On a fresh node each of these pays its connection's first statements too; run at
        // once, they made the first claim of 400 jobs take 70 ms instead of 15-20 ms.
        heartbeat.start(config.heartbeatInterval());
        maintenanceLoop.start(min(config.maintenanceInterval(), BACKGROUND_START_DELAY));
        depthLoop.start(min(config.metricsInterval(), BACKGROUND_START_DELAY));
        workers.values().forEach(QueueWorker::start);
        if (schedulerLoop != null) {
            schedulerLoop.start();
        }
        stores.notifier().start(this::wakeLocal, leaseKeeper::cancelLocal);
        LOG.info("node {} started on {}: queues {}, kinds {}", config.nodeId(), stores.dialect(), config.queues(),
                node.handlers().keySet());
    }

    public boolean isStarted() {
        return phase.get() == 1;
    }

    /** True while this node holds the maintenance lease. */
    public boolean isLeader() {
        return maintenance.isLeader();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The (queue, kind) pairs whose next stream jobs this node takes straight from its completions. */
    private dev.sluice.store.StreamClaim streamClaim() {
        List<String> queues = new java.util.ArrayList<>();
        List<String> kinds = new java.util.ArrayList<>();
        for (QueueWorker worker : workers.values()) {
            for (String kind : worker.claimableKinds()) {
                queues.add(worker.queue());
                kinds.add(kind);
            }
        }
        return queues.isEmpty() ? dev.sluice.store.StreamClaim.NONE
                : new dev.sluice.store.StreamClaim(queues, kinds, config.leaseDuration().toMillis());
    }

    /** Hands jobs claimed by a completion to their queues. */
    private void takeClaimed(List<dev.sluice.job.Job> jobs) {
        Map<String, List<dev.sluice.job.Job>> byQueue = new java.util.LinkedHashMap<>();
        for (dev.sluice.job.Job job : jobs) {
            byQueue.computeIfAbsent(job.queue(), q -> new java.util.ArrayList<>()).add(job);
        }
        byQueue.forEach((queue, claimed) -> {
            QueueWorker worker = workers.get(queue);
            if (worker != null) {
                worker.accept(claimed);
            } else {
                for (dev.sluice.job.Job job : claimed) {
                    try {
                        stores.jobs().jobHandBack(job.id(), job.attempt(), config.nodeId());
                    } finally {
                        node.leases().released(job);
                    }
                }
            }
        });
    }

    private void wakeAllLocal() {
        workers.values().forEach(QueueWorker::wake);
    }

    private void wakeLocal(String queue) {
        QueueWorker worker = workers.get(queue);
        if (worker != null) {
            worker.wake();
        }
    }

    /** Cancels a job, signalling its handler at once when it runs on this node. */
    public CancelResult cancel(long id) {
        CancelResult result = stores.jobs().jobCancel(id);
        if (result == CancelResult.REQUESTED) {
            leaseKeeper.cancelLocal(id);
        } else if (result == CancelResult.CANCELLED) {
            stores.jobs().jobGet(id).ifPresent(j -> node.metrics().count("cancelled", j.queue(), j.kind()));
        }
        return result;
    }

    /** Kinds with waiting jobs that no live node has a handler for. */
    public List<String> kindsWithoutHandlers() {
        Set<String> handled = new HashSet<>();
        stores.nodes().nodeListLive(config.leaseDuration()).forEach(n -> handled.addAll(n.kinds()));
        List<String> out = new ArrayList<>();
        for (String kind : stores.jobs().jobWaitingKinds()) {
            if (!handled.contains(kind)) {
                out.add(kind);
            }
        }
        return out;
    }

    public List<NodeInfo> liveNodes() {
        return stores.nodes().nodeListLive(config.leaseDuration());
    }

    /**
     * Stops in order: no more schedules fire; no more fetching; running jobs get the grace period
     * to finish; those still running are handed back (not counted as an attempt) and interrupted;
     * completions are written; the loops stop; the node is deregistered; the stores close.
     * Idempotent.
     */
    public void close() {
        int was = phase.getAndSet(2);
        if (was == 2) {
            return;
        }
        try {
            if (was == 1) {
                shutdown();
            }
        } finally {
            timer.shutdownNow();
            if (journal != null) {
                // Before the stores: its last flush and the checkpoint need the database.
                try {
                    journal.close(STOP_BOUND);
                } catch (RuntimeException e) {
                    LOG.warn("closing the write-ahead log failed: {}", e.toString());
                }
            }
            try {
                stores.close();
            } catch (Exception e) {
                LOG.warn("closing the stores failed: {}", e.toString());
            }
        }
    }

    private void shutdown() {
        if (schedulerLoop != null) {
            schedulerLoop.stop(STOP_BOUND);
        }
        workers.values().forEach(w -> w.stopFetching(STOP_BOUND));
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        try {
            for (QueueWorker w : workers.values()) {
                w.awaitIdle(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int handedBack = 0;
        for (RunningJob running : node.running().values()) {
            if (running.stop(RunningJob.StopReason.HANDED_BACK)) {
                try {
                    if (stores.jobs().jobHandBack(running.job().id(), running.job().attempt(), config.nodeId())) {
                        handedBack++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not hand back job {}; it will be rescued when its lease expires: {}",
                            running.job().id(), e.getMessage());
                } finally {
                    node.leases().released(running.job());
                }
            }
        }
        if (handedBack > 0) {
            LOG.info("handed back {} running job(s) at shutdown", handedBack);
        }
        workers.values().forEach(w -> w.shutdown(STOP_BOUND));
        try {
            node.completer().stop(STOP_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.stop(STOP_BOUND);
        maintenanceLoop.stop(STOP_BOUND);
        depthLoop.stop(STOP_BOUND);
        stores.notifier().close();
        try {
            maintenance.resign();
            stores.nodes().nodeDelete(config.nodeId());
        } catch (RuntimeException e) {
            LOG.warn("could not deregister node {}: {}", config.nodeId(), e.getMessage());
        }
        timer.shutdown();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("node {} stopped", config.nodeId());
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
