package dev.sluice.store.jdbc;

import dev.sluice.store.Notifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's {@code sluice_job} and {@code sluice_cancel} channels on one
 * connection of its own, held for the notifier's life, and calls back on its own named thread.
 * A lost connection is reopened with a pause; in between, fetchers keep polling, so nothing is
 * missed, only woken later. Thread-safe.
 */
final class PostgresNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifier.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private volatile boolean running;
    private Thread thread;

    PostgresNotifier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized void start(Consumer<String> onQueue, Consumer<Long> onCancel) {
        if (thread != null) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("sluice-pg-listener").start(() -> listen(onQueue, onCancel));
    }

    private void listen(Consumer<String> onQueue, Consumer<Long> onCancel) {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("LISTEN sluice_job");
                st.execute("LISTEN sluice_cancel");
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification note : notes) {
                        dispatch(note, onQueue, onCancel);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("LISTEN connection lost, reconnecting in 1 s: {}", e.getMessage());
                    sleepQuietly(1000);
                }
            }
        }
    }

    private static void dispatch(PGNotification note, Consumer<String> onQueue, Consumer<Long> onCancel) {
        try {
            if ("sluice_cancel".equals(note.getName())) {
                onCancel.accept(Long.parseLong(note.getParameter()));
            } else {
                onQueue.accept(note.getParameter());
            }
        } catch (RuntimeException e) {
            LOG.warn("notification {} '{}' not handled: {}", note.getName(), note.getParameter(), e.toString());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            try {
                t.join(WAIT_MILLIS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
