package dev.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake-ups of waiting appenders that arrive while the appender waits for a lock, not parked:
 * {@code ReentrantLock} consumes such an unpark. Built on the writer directly, with its append lock
 * held from here, to place the appender in that window every time.
 */
class LogWriterWakeUpTest {
    @TempDir
    Path dir;

    private LogWriter writer() throws Exception {
        Path file = dir.resolve(SegmentFormat.fileName(1));
        ByteBuffer h = SegmentFormat.header(7, 1);
        byte[] b = new byte[h.remaining()];
        h.get(b);
        Files.write(file, b);
        Segment seg = new Segment(file, 1, 0, 0, SegmentFormat.HEADER_SIZE);
        SegmentCatalog catalog = new SegmentCatalog();
        catalog.add(seg);
        // durable mode (the default); the writer thread is not started: appenders commit
        return new LogWriter(dir, 7, WalConfig.defaults(dir), catalog, seg, 1, new WalCounters(), new LagClock());
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = LogWriter.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /** Starts a durable append (id 2) that waits with no deadline, and parks it in groupComplete()'s lock. */
    private Thread waiterQueuedOnAppendLock(LogWriter w, ReentrantLock lock) throws Exception {
        w.append(1, new byte[] {1}, false); // id 1, non-durable: the durable append below opens no group
        Field gs = LogWriter.class.getDeclaredField("groupSize");
        gs.setAccessible(true);
        gs.setInt(w, 3); // three producers were appending at the last commit
        Thread waiter = new Thread(() -> {
            try {
                w.append(1, new byte[] {2}, true);
            } catch (Exception e) {
                // a failure is an answer too
            }
        });
        waiter.start();
        while (LockSupport.getBlocker(waiter) != w) {
            Thread.onSpinWait();
        }
        lock.lock(); // an appender holds the append lock
        LockSupport.unpark(waiter); // a tree wake-up (passOnRelease) reaches it
        while (!lock.hasQueuedThread(waiter)) {
            Thread.onSpinWait(); // now blocked in groupComplete()
        }
        return waiter;
    }

    /** What happens while the waiter is queued for the append lock, held from here meanwhile. */
    private interface WhileQueued {
        void run(LogWriter w) throws Exception;
    }

    /** Runs {@code meanwhile} while a waiting durable appender is queued for the append lock; returns it. */
    private Thread waiterAfter(LogWriter w, WhileQueued meanwhile) throws Exception {
        ReentrantLock lock = (ReentrantLock) field(w, "lock");
        Thread waiter = waiterQueuedOnAppendLock(w, lock);
        try {
            meanwhile.run(w);
        } finally {
            lock.unlock();
        }
        return waiter;
    }

    @Test
    void appenderWhoseRecordWasCommittedWhileItWaitedForTheAppendLockIsReleased() throws Exception {
        LogWriter w = writer();
        Thread waiter = waiterAfter(w, writer -> {
            writer.awaitDurable(2); // another thread's WriteAheadLog.sync(): commits ids 1-2 and releases waiters
            assertThat(writer.durableId()).isEqualTo(2);
        });
        waiter.join(3000);
        assertThat(waiter.isAlive()).as("record 2 is durable, yet its appender still waits").isFalse();
    }

    @Test
    void appenderIsReleasedWhenTheLogFailsWhileItWaitsForTheAppendLock() throws Exception {
        LogWriter w = writer();
        Thread waiter = waiterAfter(w, writer -> {
            Method fail = LogWriter.class.getDeclaredMethod("fail", Throwable.class);
            fail.setAccessible(true);
            fail.invoke(writer, new java.io.IOException("fsync failed (simulated)"));
        });
        w.close(1000);
        waiter.join(3000);
        assertThat(waiter.isAlive()).as("the log failed and was closed, yet an appender still waits").isFalse();
    }
}
