package dev.sluice.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wake-up a loop can sleep on: {@link #signal()} makes the current or next
 * {@link #await(long)} return at once. Signals do not pile up: many signals before an await
 * wake it once. Thread-safe.
 */
final class WakeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean signalled;

    void signal() {
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps until signalled or {@code nanos} pass; true when signalled. */
    boolean await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (!signalled && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            boolean was = signalled;
            signalled = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    boolean await(long amount, TimeUnit unit) throws InterruptedException {
        return await(unit.toNanos(amount));
    }
}
