package dev.sluice.runtime;

import dev.sluice.ErrorListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop on its own named platform thread: runs its body every interval (sooner when a
 * {@link Paced} body asks), reports failures to the error listener and carries on.
 * {@link #stop()} wakes it, waits for the body in progress, and gives up after a bound.
 * Thread-safe.
 */
final class PeriodicLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicLoop.class);

    /** The body; may throw, the loop goes on. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** A body that knows when it next has work, so the loop may wake earlier than its interval. */
    interface Paced extends Body {
        /** How long to wait after the latest run; the loop waits at most its interval. */
        Duration nextWait();
    }

    private final String name;
    private final Duration interval;
    private final Body body;
    private final ErrorListener errors;
    private final WakeSignal wake = new WakeSignal();
    private volatile boolean running;
    private Thread thread;

    PeriodicLoop(String name, Duration interval, Body body, ErrorListener errors) {
        this.name = name;
        this.interval = interval;
        this.body = body;
        this.errors = errors;
    }

    synchronized void start() {
        start(Duration.ZERO);
    }

    /** Starts the loop with its first run after {@code firstDelay} (sooner when poked). */
    synchronized void start(Duration firstDelay) {
        running = true;
        long delayNanos = firstDelay.toNanos();
        thread = Thread.ofPlatform().daemon().name("sluice-" + name).start(() -> {
            if (delayNanos > 0) {
                try {
                    wake.await(delayNanos);
                } catch (InterruptedException e) {
                    return;
                }
            }
            loop();
        });
    }

    /** Runs the body now instead of at the next tick. */
    void poke() {
        wake.signal();
    }

    private void loop() {
        while (running) {
            try {
                body.run();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | Error e) {
                if (running) {
                    LOG.warn("{} failed: {}", name, e.toString());
                    errors.onError(name, e);
                }
            }
            try {
                wake.await(waitNanos());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long waitNanos() {
        if (body instanceof Paced paced) {
            return Math.clamp(paced.nextWait().toNanos(), 0, interval.toNanos());
        }
        return interval.toNanos();
    }

    void stop(Duration bound) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null) {
            return;
        }
        wake.signal();
        try {
            t.join(bound.toMillis());
            if (t.isAlive()) {
                t.interrupt();
                t.join(bound.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
