package dev.sluice.buffer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import dev.sluice.Sluice;
import dev.sluice.buffer.store.BatchCounts;
import dev.sluice.buffer.store.BatchState;
import dev.sluice.buffer.store.BatchStore;
import dev.sluice.buffer.store.BatchStores;
import dev.sluice.buffer.store.StoredBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A typed, buffered, batched and persistent queue.
 *
 * <pre>{@code
 * try (BufferedQueue<PageView> views = BufferedQueue.builder(PageView.class)
 *         .name("page-views")
 *         .sqlite(Path.of("buffer.db"))                 // the default store: a SQLite file of its own
 *         .flushPushes(500).flushTimeout(Duration.ofSeconds(1))
 *         .workers(2).batchesPerTake(4)
 *         .merging(PageView::url, PageView::plus)       // aggregate across the batches of one take
 *         .processor((batch, queue) -> analytics.addAll(batch))
 *         .build()) {
 *     views.push(new PageView("/home", 1));
 * }
 * }</pre>
 *
 * <p><b>Pushing.</b> {@link #push} puts an item into a memory buffer and returns. The buffer is
 * cut into one batch when it reaches {@code flushBytes} (encoded size), {@code flushPushes},
 * {@code flushItems} or {@code flushTimeout}, or on {@link #flush()} and {@link #close()}; the
 * batch is encoded by the {@link Codec} and stored as one row by a flusher thread. Items in the
 * memory buffer are not yet durable: if the process dies they are lost; {@code flushTimeout} and
 * {@code flushPushes} bound how many.
 *
 * <p><b>Processing.</b> {@code workers} threads take stored batches, highest priority first,
 * then oldest first, up to {@code batchesPerTake} at a time, pass their items through a fresh
 * {@link ItemBuffer} (a {@linkplain ItemBuffer#merging merging} one aggregates them) and call
 * the {@link BatchProcessor} once. Success deletes the batches; failure retries them according
 * to the {@link BatchRetryPolicy}, and parks them as {@link BatchState#FAILED}, kept with their
 * priority, when their attempts are exhausted ({@link #failedBatches}, {@link #retryFailed()}).
 * A taken batch is leased to this queue instance and the lease is renewed while it is held, so
 * two workers, in this process or another on the same store, never hold the same batch; a batch
 * whose holder died is taken again once its lease expires. Processing is at least once.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting pushes (except from inside a process
 * call), lets running process calls finish for {@code shutdownGrace}, interrupts them, hands
 * back what they did not finish without spending an attempt, flushes the memory buffer, and
 * closes the store if the queue opened it. After that every call fails with a {@link
 * QueueClosedException} ("queue is closed"), a second {@code close()} included.
 *
 * <p>Thread-safe.
 *
 * @param <T> the item type
 */
public final class BufferedQueue<T> implements AutoCloseable {
    private static final Duration STOP_BOUND = Duration.ofSeconds(5);
    private static final Duration FLUSH_ON_CLOSE_BOUND = Duration.ofSeconds(30);

    private enum State { OPEN, CLOSING, CLOSED }

    private final BufferedQueueConfig config;
    private final Codec<T> codec;
    private final BatchStore store;
    private final boolean ownsStore;
    private final BatchProcessor<T> processor;
    private final BufferMetrics metrics;
    private final ErrorHandlers errors;
    private final PushBuffer<T> pushBuffer;
    private final Flusher<T> flusher;
    private final Thread flusherThread;
    private final List<Worker<T>> workers = new ArrayList<>();
    private final List<Thread> workerThreads = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final Wakeup wakeup = new Wakeup();
    private final String owner;
    /** True on a worker thread while it runs the processor: its pushes are accepted while closing. */
    private final ThreadLocal<Boolean> insideProcess = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    private BufferedQueue(Builder<T> b, BatchStore store, boolean ownsStore) {
        this.config = b.config();
        this.codec = b.codec;
        this.store = store;
        this.ownsStore = ownsStore;
        this.processor = b.processor;
        this.owner = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 13);
        this.metrics = new BufferMetrics(b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry(),
                config.name());
        this.errors = new ErrorHandlers(config.name(), b.internalErrorHandler, b.processErrorHandler);
        this.pushBuffer = new PushBuffer<>(config, b.buffers.get());
        this.flusher = new Flusher<>(config, pushBuffer, codec, store, metrics, errors, wakeup);
        String prefix = "sluice-buffer-" + config.name() + "-";
        this.flusherThread = Thread.ofPlatform().daemon().name(prefix + "flush").start(flusher);
        for (int i = 0; i < config.workers(); i++) {
            Worker<T> worker = new Worker<>(config, store, codec, b.buffers, this::runProcessor, owner, wakeup,
                    metrics, errors, () -> state.get() != State.OPEN);
            workers.add(worker);
            workerThreads.add(Thread.ofPlatform().daemon().name(prefix + "worker-" + (i + 1)).start(worker));
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name(prefix + "timer").unstarted(r));
        if (config.workers() > 0) {
            long renewMillis = Math.max(10, config.leaseDuration().toMillis() / 3);
            timer.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        }
        timer.scheduleWithFixedDelay(this::refreshGauges, 0, config.metricsInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A builder for a queue of {@code itemType}, encoded as JSON unless told otherwise. */
    public static <T> Builder<T> builder(Class<T> itemType) {
        if (itemType == null) {
            throw new IllegalArgumentException("itemType must not be null");
        }
        return new Builder<>(Codec.json(itemType), JacksonCodec.json().constructType(itemType));
    }

    /** A builder for a queue of a generic item type, such as {@code new TypeReference<Map<String, Long>>() {}}. */
    public static <T> Builder<T> builder(TypeReference<T> itemType) {
        if (itemType == null) {
            throw new IllegalArgumentException("itemType must not be null");
        }
        return new Builder<>(Codec.json(itemType), JacksonCodec.json().constructType(itemType));
    }

    /** A builder for a queue whose items are encoded by {@code codec}. */
    public static <T> Builder<T> builder(Codec<T> codec) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null");
        }
        return new Builder<>(codec, null);
    }

    /**
     * Adds {@code item} to the memory buffer; it is stored with the next flush. Returns at once,
     * unless more than {@code maxPendingFlushes} flushed batches wait for the store, in which
     * case it waits for room (back-pressure).
     *
     * @throws IllegalArgumentException if the item is null or the codec cannot encode it
     * @throws QueueClosedException once the queue is closing or closed, except when called from
     *         inside the process function while the queue is closing
     */
    public void push(T item) {
        if (item == null) {
            throw new IllegalArgumentException("item must not be null");
        }
        requireAccepting();
        long size = 0;
        if (config.flushBytes() > 0) {
            try {
                size = codec.sizeOf(item);
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot encode item with the " + codec + ": " + e, e);
            }
        }
        pushBuffer.push(item, size);
        metrics.pushed();
    }

    /** Pushes each item in order; see {@link #push}. */
    public void pushAll(Iterable<? extends T> items) {
        for (T item : items) {
            push(item);
        }
    }

    /**
     * Cuts the memory buffer into a batch and returns once it, and every batch cut before it, is
     * in the store. Waits while the store is unreachable (the flusher keeps retrying).
     *
     * @throws QueueClosedException once the queue is closing or closed (except from inside the
     *         process function while closing)
     * @throws BufferedQueueException if interrupted, or if a batch could not be encoded
     */
    public void flush() {
        requireAccepting();
        await(pushBuffer.flush(), null);
    }

    /** True until {@link #close()} starts. A long process call may check it to stop early. */
    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /** The queue's name. */
    public String name() {
        return config.name();
    }

    /** The queue's settings. */
    public BufferedQueueConfig config() {
        return config;
    }

    /** The batches and items this queue's name has in the store now, by state. */
    public BatchCounts stats() {
        requireNotClosed();
        return store.batchCountByState(config.name());
    }

    /**
     * Batches whose attempts are exhausted, highest priority then oldest first, with their
     * decoded items and last error.
     */
    public List<FailedBatch<T>> failedBatches(int limit) {
        requireNotClosed();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return store.batchList(config.name(), BatchState.FAILED, limit).stream().map(this::failedBatch).toList();
    }

    private FailedBatch<T> failedBatch(StoredBatch b) {
        List<T> items;
        try {
            items = codec.decode(b.payload());
        } catch (Exception e) {
            items = List.of();
        }
        return new FailedBatch<>(b.id(), b.priority(), b.attempts(), b.items(), items, b.lastError(), b.createdAt(),
                b.dueAt());
    }

    /** Makes every failed batch ready again at once, with a fresh round of attempts; returns how many. */
    public int retryFailed() {
        requireNotClosed();
        int n = store.batchRetryFailed(config.name(), null);
        wakeup.signal();
        return n;
    }

    /** Makes one failed batch ready again at once, with a fresh round of attempts. */
    public boolean retryFailed(long batchId) {
        requireNotClosed();
        boolean done = store.batchRetryFailed(config.name(), batchId) == 1;
        wakeup.signal();
        return done;
    }

    /** Deletes one failed batch and its items for good; false when there is no such failed batch. */
    public boolean deleteFailed(long batchId) {
        requireNotClosed();
        return store.batchDeleteFailed(config.name(), batchId);
    }

    /**
     * Closes the queue: stops accepting pushes (except from inside process calls), stops the
     * workers (running process calls get {@code shutdownGrace}, then are interrupted, and what
     * they leave unfinished is handed back without spending an attempt), flushes the memory
     * buffer into the store, and closes the store if the queue opened it.
     *
     * @throws QueueClosedException if the queue is already closing or closed
     * @throws IllegalStateException if called from inside the process function
     * @throws BufferedQueueException if items could not be stored (they are lost; the message
     *         says how many), after closing everything else
     */
    @Override
    public void close() {
        if (insideProcess.get()) {
            throw new IllegalStateException("close() must not be called from inside the process function of queue "
                    + config.name());
        }
        if (!state.compareAndSet(State.OPEN, State.CLOSING)) {
            throw new QueueClosedException(config.name());
        }
        try {
            stopWorkers();
            timer.shutdownNow();
            awaitTermination();
            releaseLeftovers();
            CompletableFuture<Void> lastBatch = pushBuffer.seal();
            try {
                await(lastBatch, FLUSH_ON_CLOSE_BOUND);
            } catch (BufferedQueueException e) {
                // reported below with the count of lost items
            }
            join(flusherThread, STOP_BOUND);
        } finally {
            state.set(State.CLOSED);
            metrics.close();
            if (ownsStore) {
                store.close();
            }
        }
        long lost = flusher.lostItems();
        if (lost > 0) {
            throw new BufferedQueueException(lost + " item(s) of queue " + config.name()
                    + " could not be stored and are lost (see the internal error handler)", null);
        }
    }

    private void stopWorkers() {
        workers.forEach(Worker::stop);
        wakeup.signal();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Thread t : workerThreads) {
            joinUntil(t, deadline);
        }
        for (Thread t : workerThreads) {
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        long stopDeadline = System.nanoTime() + STOP_BOUND.toNanos();
        for (Thread t : workerThreads) {
            joinUntil(t, stopDeadline);
            if (t.isAlive()) {
                errors.internal("worker " + t.getName() + " did not stop within " + STOP_BOUND
                        + " of being interrupted; its batches are handed back", new IllegalStateException(t.getName()));
            }
        }
    }

    /** Batches a stuck worker still holds become ready again; its late delete or return is refused. */
    private void releaseLeftovers() {
        if (config.workers() == 0) {
            return;
        }
        try {
            store.batchReleaseOwned(owner);
        } catch (RuntimeException e) {
            errors.internal("handing back held batches failed: they are taken again when their lease expires", e);
        }
    }

    private void awaitTermination() {
        try {
            if (!timer.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                errors.internal("timer did not stop within " + STOP_BOUND, new IllegalStateException("timer"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runProcessor(List<T> items) throws Exception {
        insideProcess.set(Boolean.TRUE);
        try {
            processor.process(items, this);
        } finally {
            insideProcess.remove();
        }
    }

    private void renewLeases() {
        try {
            store.batchRenewLeases(owner, config.leaseDuration());
        } catch (RuntimeException e) {
            errors.internal("renewing the leases of taken batches failed", e);
        }
    }

    private void refreshGauges() {
        try {
            metrics.stored(store.batchCountByState(config.name()));
        } catch (RuntimeException e) {
            errors.internal("counting stored batches failed", e);
        }
    }

    private void requireAccepting() {
        State s = state.get();
        if (s == State.OPEN || (s == State.CLOSING && insideProcess.get())) {
            return;
        }
        throw new QueueClosedException(config.name());
    }

    private void requireNotClosed() {
        if (state.get() == State.CLOSED) {
            throw new QueueClosedException(config.name());
        }
    }

    private static void await(CompletableFuture<Void> future, Duration bound) {
        try {
            if (bound == null) {
                future.get();
            } else {
                future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BufferedQueueException("interrupted while waiting for the flush to be stored", e);
        } catch (ExecutionException e) {
            throw new BufferedQueueException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BufferedQueueException("the flush was not stored within " + bound, e);
        }
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            t.join(Duration.ofNanos(left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t, Duration bound) {
        joinUntil(t, System.nanoTime() + bound.toNanos());
        if (t.isAlive()) {
            t.interrupt();
        }
    }

    /**
     * Builds a {@link BufferedQueue}. Every setter checks its value and names it when it is
     * bad; {@link #build()} checks the whole, opens the store and starts the threads. Defaults:
     * see {@link BufferedQueueConfig#defaults()}, JSON, an appending buffer, a SQLite file
     * {@code sluice-buffer.db} in the working directory, a {@link SimpleMeterRegistry}, errors
     * logged. Not thread-safe.
     */
    public static final class Builder<T> {
        private final JavaType itemType;
        private Codec<T> codec;
        private String name;
        private long flushBytes;
        private int flushPushes;
        private int flushItems;
        private Duration flushTimeout;
        private int workers;
        private int batchesPerTake;
        private int priority;
        private BatchRetryPolicy retryPolicy;
        private Duration pollInterval;
        private Duration leaseDuration;
        private Duration shutdownGrace;
        private Duration metricsInterval;
        private int maxPendingFlushes;
        private Supplier<? extends ItemBuffer<T>> buffers = ItemBuffer::appending;
        private BatchProcessor<T> processor;
        private MeterRegistry meterRegistry;
        private Consumer<? super Throwable> internalErrorHandler;
        private Consumer<? super ProcessFailure> processErrorHandler;
        private String storeChoice;
        private Supplier<BatchStore> storeOpener;
        private BatchStore callerStore;
        private Path sqliteFile;
        private boolean durable;

        private Builder(Codec<T> codec, JavaType itemType) {
            this.codec = codec;
            this.itemType = itemType;
            BufferedQueueConfig d = BufferedQueueConfig.defaults();
            name = d.name();
            flushBytes = d.flushBytes();
            flushPushes = d.flushPushes();
            flushItems = d.flushItems();
            flushTimeout = d.flushTimeout();
            workers = d.workers();
            batchesPerTake = d.batchesPerTake();
            priority = d.priority();
            retryPolicy = d.retryPolicy();
            pollInterval = d.pollInterval();
            leaseDuration = d.leaseDuration();
            shutdownGrace = d.shutdownGrace();
            metricsInterval = d.metricsInterval();
            maxPendingFlushes = d.maxPendingFlushes();
        }

        /** The queue's name (default {@code default}); queues sharing a store are told apart by it. */
        public Builder<T> name(String name) {
            this.name = BufferedQueueConfig.name(name);
            return this;
        }

        /** What processes the batches; required when there are workers. */
        public Builder<T> processor(BatchProcessor<T> processor) {
            if (processor == null) {
                throw new IllegalArgumentException("processor must not be null");
            }
            this.processor = processor;
            return this;
        }

        /** Flush once the pushed items are about this many encoded bytes (default 1 MiB); 0 never. */
        public Builder<T> flushBytes(long bytes) {
            this.flushBytes = BufferedQueueConfig.atLeast("flushBytes", bytes, 0);
            return this;
        }

        /** Flush after this many pushes (default 1000); 0 never. */
        public Builder<T> flushPushes(int pushes) {
            this.flushPushes = (int) BufferedQueueConfig.atLeast("flushPushes", pushes, 0);
            return this;
        }

        /** Flush once the memory buffer holds this many items after merging (default 0: never). */
        public Builder<T> flushItems(int items) {
            this.flushItems = (int) BufferedQueueConfig.atLeast("flushItems", items, 0);
            return this;
        }

        /**
         * Flush when the oldest unflushed push is this old (default 1 s); zero never. This bounds
         * how long an item stays only in memory.
         */
        public Builder<T> flushTimeout(Duration timeout) {
            this.flushTimeout = BufferedQueueConfig.zeroOrPositive("flushTimeout", timeout);
            return this;
        }

        /** Worker threads (default 1); 0 makes a queue that only stores, for another process to work. */
        public Builder<T> workers(int workers) {
            this.workers = (int) BufferedQueueConfig.atLeast("workers", workers, 0);
            return this;
        }

        /** The most stored batches a worker takes and processes as one (default 1). */
        public Builder<T> batchesPerTake(int batches) {
            this.batchesPerTake = (int) BufferedQueueConfig.atLeast("batchesPerTake", batches, 1);
            return this;
        }

        /** The priority of the batches this queue stores (default 0; higher are taken first). */
        public Builder<T> priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** When failed batches are retried and when they are parked (default {@link BatchRetryPolicy#defaults()}). */
        public Builder<T> retryPolicy(BatchRetryPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("retryPolicy must not be null");
            }
            this.retryPolicy = policy;
            return this;
        }

        /** The memory buffer, one instance per use (default {@link ItemBuffer#appending()}). */
        public Builder<T> buffer(Supplier<? extends ItemBuffer<T>> buffers) {
            if (buffers == null) {
                throw new IllegalArgumentException("buffer supplier must not be null");
            }
            this.buffers = buffers;
            return this;
        }

        /** A {@linkplain ItemBuffer#merging merging} buffer: one item per key, merged with {@code merge}. */
        public <K> Builder<T> merging(Function<? super T, ? extends K> key, BinaryOperator<T> merge) {
            if (key == null || merge == null) {
                throw new IllegalArgumentException("merging needs a key function and a merge function");
            }
            this.buffers = () -> ItemBuffer.merging(key, merge);
            return this;
        }

        /** How batches are encoded (default JSON). */
        public Builder<T> codec(Codec<T> codec) {
            if (codec == null) {
                throw new IllegalArgumentException("codec must not be null");
            }
            this.codec = codec;
            return this;
        }

        /** Encodes batches as MessagePack instead of JSON. */
        public Builder<T> messagePack() {
            if (itemType == null) {
                throw new IllegalArgumentException("messagePack() needs the item type: use builder(Class) or "
                        + "builder(TypeReference), or pass codec(Codec.messagePack(type))");
            }
            this.codec = new JacksonCodec<>("messagepack", JacksonCodec.messagePack(), itemType);
            return this;
        }

        /** Stores batches in this SQLite file of the queue's own (the default is {@code sluice-buffer.db}). */
        public Builder<T> sqlite(Path file) {
            if (file == null) {
                throw new IllegalArgumentException("sqlite file must not be null");
            }
            choose("sqlite(" + file + ")");
            this.sqliteFile = file;
            return this;
        }

        /**
         * Syncs every stored batch to disk ({@code PRAGMA synchronous=FULL}; default false,
         * {@code NORMAL}). For the SQLite file store only.
         */
        public Builder<T> durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** Keeps batches in memory: nothing survives the process. */
        public Builder<T> inMemory() {
            choose("inMemory()");
            this.storeOpener = BatchStores::memory;
            return this;
        }

        /** Stores batches in the database of a Sluice node, table {@code sluice_buffer_batch}. Close the queue first. */
        public Builder<T> database(Sluice sluice) {
            if (sluice == null) {
                throw new IllegalArgumentException("sluice must not be null");
            }
            choose("database(sluice)");
            this.storeOpener = () -> BatchStores.database(sluice);
            return this;
        }

        /** Stores batches in the database behind {@code dataSource} (SQLite, PostgreSQL or MariaDB); the pool stays yours. */
        public Builder<T> database(DataSource dataSource) {
            if (dataSource == null) {
                throw new IllegalArgumentException("dataSource must not be null");
            }
            choose("database(dataSource)");
            this.storeOpener = () -> BatchStores.database(dataSource);
            return this;
        }

        /** Uses a store of the caller's, which the queue does not close (it may be shared by queues). */
        public Builder<T> store(BatchStore store) {
            if (store == null) {
                throw new IllegalArgumentException("store must not be null");
            }
            choose("store(" + store.getClass().getSimpleName() + ")");
            this.callerStore = store;
            return this;
        }

        private void choose(String choice) {
            if (storeChoice != null) {
                throw new IllegalArgumentException("the store is already chosen (" + storeChoice + "); cannot also use "
                        + choice);
            }
            storeChoice = choice;
        }

        /** The longest pause of an idle worker between looks at the store (default 500 ms). */
        public Builder<T> pollInterval(Duration interval) {
            this.pollInterval = BufferedQueueConfig.positive("pollInterval", interval);
            return this;
        }

        /** How long a taken batch stays leased without renewal (default 30 s, renewed every third). */
        public Builder<T> leaseDuration(Duration lease) {
            this.leaseDuration = BufferedQueueConfig.positive("leaseDuration", lease);
            return this;
        }

        /** How long {@code close()} lets running process calls finish before interrupting them (default 5 s). */
        public Builder<T> shutdownGrace(Duration grace) {
            this.shutdownGrace = BufferedQueueConfig.zeroOrPositive("shutdownGrace", grace);
            return this;
        }

        /** How often the stored batches and items gauges are refreshed (default 10 s). */
        public Builder<T> metricsInterval(Duration interval) {
            this.metricsInterval = BufferedQueueConfig.positive("metricsInterval", interval);
            return this;
        }

        /** Flushed batches that may wait for the store before pushes wait (default 4). */
        public Builder<T> maxPendingFlushes(int batches) {
            this.maxPendingFlushes = (int) BufferedQueueConfig.atLeast("maxPendingFlushes", batches, 1);
            return this;
        }

        /** Where the meters go (default a new {@link SimpleMeterRegistry}). */
        public Builder<T> meterRegistry(MeterRegistry registry) {
            if (registry == null) {
                throw new IllegalArgumentException("meterRegistry must not be null");
            }
            this.meterRegistry = registry;
            return this;
        }

        /** Receives internal errors: store, codec and lease failures (default: logged). Must not block. */
        public Builder<T> internalErrorHandler(Consumer<? super Throwable> handler) {
            this.internalErrorHandler = handler;
            return this;
        }

        /** Receives every failed process call (default: logged). Must not block. */
        public Builder<T> processErrorHandler(Consumer<? super ProcessFailure> handler) {
            this.processErrorHandler = handler;
            return this;
        }

        BufferedQueueConfig config() {
            return new BufferedQueueConfig(name, flushBytes, flushPushes, flushItems, flushTimeout, workers,
                    batchesPerTake, priority, retryPolicy, pollInterval, leaseDuration, shutdownGrace, metricsInterval,
                    maxPendingFlushes);
        }

        /** Checks the settings, opens the store (migrating a database) and starts the queue. */
        public BufferedQueue<T> build() {
            config();
            if (workers > 0 && processor == null) {
                throw new IllegalArgumentException("processor must be set when workers > 0 (workers = " + workers
                        + "); use workers(0) for a queue that only stores");
            }
            if (durable && (storeChoice != null && sqliteFile == null)) {
                throw new IllegalArgumentException("durable applies to the SQLite file store only, not to " + storeChoice);
            }
            if (callerStore != null) {
                return new BufferedQueue<>(this, callerStore, false);
            }
            BatchStore opened = storeOpener != null ? storeOpener.get()
                    : BatchStores.sqlite(sqliteFile != null ? sqliteFile : Path.of("sluice-buffer.db"), durable);
            try {
                return new BufferedQueue<>(this, opened, true);
            } catch (RuntimeException | Error e) {
                opened.close();
                throw e;
            }
        }
    }
}
