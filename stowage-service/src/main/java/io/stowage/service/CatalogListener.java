package io.stowage.service;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection of its own to the PostgreSQL catalog (not the pool's) that listens on {@value #CHANNEL}, where
 * migration 14's triggers name every file whose row, current version or location a transaction changes, at its
 * commit and in commit order (decision 0081). A daemon thread reads what arrives and tells a {@link Sink}.
 *
 * <p>Every {@code interval} it also notifies the channel itself with a heartbeat ({@code hb:<token>:<n>}) and
 * reports, when it comes back, the moment it was sent. PostgreSQL queues a transaction's notifications before the
 * transaction becomes visible, one committing transaction at a time, and a listener reads the queue in order; so
 * when a heartbeat sent at T arrives, every change committed before T has been told. When the connection fails,
 * the sink hears {@link Sink#reset} and the thread connects again after a pause, listening before it resets again.
 */
final class CatalogListener implements AutoCloseable {

    static final String CHANNEL = "stowage_catalog";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogListener.class);
    private static final String HEARTBEAT = "hb:";
    /** The longest wait for a notification, so that {@link #close} ends the thread quickly (a read cannot be interrupted). */
    private static final long MAX_WAIT_MILLIS = 50;
    /** How long a heartbeat may take to come back before the connection is taken for lost. */
    private static final Duration GIVE_UP = Duration.ofSeconds(10);

    /** What the listener tells. Called on its thread, one call at a time. */
    interface Sink {
        /**
         * A transaction that changed {@code fileId} has committed; or, as {@code quota:<owner>}
         * ({@link CatalogNotifications#QUOTA}), one that changed that owner's quota.
         */
        void changed(String fileId);

        /** Every change committed before {@code sentNanos} ({@link System#nanoTime()}) has been told. */
        void heard(long sentNanos);

        /** What was told may have missed changes: the connection failed, or a new one now listens. */
        void reset();
    }

    private final String url;
    private final Properties properties;
    private final Duration interval;
    private final Sink sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int backendPid;
    /** Tests: runs before each connection after the first (to hold the listener away), and before each batch. */
    volatile Runnable beforeReconnect = () -> { };
    volatile Runnable beforeBatch = () -> { };

    private CatalogListener(ServiceSettings settings, Duration interval, Sink sink) {
        this.url = settings.databaseUrl();
        this.properties = new Properties();
        settings.databaseUser().ifPresent(u -> properties.setProperty("user", u));
        settings.databasePassword().ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "stowage-catalog-listener");
        properties.setProperty("connectTimeout", "10");
        // A connection that hangs instead of failing: the heartbeats stop, reads look files up, and this ends it.
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("tcpKeepAlive", "true");
        this.interval = interval;
        this.sink = sink;
        this.thread = new Thread(this::run, "stowage-catalog-listener");
        thread.setDaemon(true);
    }

    /** Starts listening for {@code sink} on the catalog {@code settings} name, with a heartbeat every {@code interval}. */
    static CatalogListener start(ServiceSettings settings, Duration interval, Sink sink) {
        CatalogListener listener = new CatalogListener(settings, interval, sink);
        listener.thread.start();
        return listener;
    }

    /** The PostgreSQL process of the current connection; 0 while there is none (tests end it). */
    int backendPid() {
        return backendPid;
    }

    private void run() {
        boolean first = true;
        while (running) {
            if (!first) {
                beforeReconnect.run();
            }
            first = false;
            try (Connection c = DriverManager.getConnection(url, properties)) {
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("catalog listener lost its connection ({}); reads look files up until it is back",
                            e.getClass().getSimpleName());
                }
            } finally {
                backendPid = 0;
                sink.reset();
            }
            pause();
        }
    }

    private void listen(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
            backendPid = c.unwrap(PGConnection.class).getBackendPID();
        }
        // Anything before LISTEN was not told: start afresh now that everything after it will be.
        sink.reset();
        PGConnection pg = c.unwrap(PGConnection.class);
        String token = HEARTBEAT + UUID.randomUUID() + ":";
        long intervalNanos = interval.toNanos();
        long sequence = 0;
        long pending = -1;
        long pendingSent = 0;
        long due = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (pending >= 0 && now - pendingSent > GIVE_UP.toNanos()) {
                // A connection that neither fails nor answers: a new one is the way back to serving from memory.
                throw new SQLException("no heartbeat back within " + GIVE_UP);
            }
            if (pending < 0 && now - due >= 0) {
                pending = ++sequence;
                pendingSent = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("NOTIFY " + CHANNEL + ", '" + token + pending + "'");
                }
                due = pendingSent + intervalNanos;
                now = System.nanoTime();
            }
            long waitMillis = pending < 0 ? Math.max(1, (due - now) / 1_000_000) : MAX_WAIT_MILLIS;
            PGNotification[] batch = pg.getNotifications((int) Math.min(MAX_WAIT_MILLIS, waitMillis));
            if (batch == null || batch.length == 0) {
                continue;
            }
            beforeBatch.run();
            for (PGNotification n : batch) {
                String payload = n.getParameter();
                if (!payload.startsWith(HEARTBEAT)) {
                    sink.changed(payload);
                } else if (pending >= 0 && payload.equals(token + pending)) {
                    sink.heard(pendingSent);
                    pending = -1;
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(Math.max(50, Math.min(1_000, interval.toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops listening; the thread ends, closing its connection, within about 50 ms. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
