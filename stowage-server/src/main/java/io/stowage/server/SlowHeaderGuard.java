package io.stowage.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request headers take longer than {@code header_timeout} to arrive (slowloris:
 * a client that sends a header line every few seconds keeps the idle timeout from ever firing). Jetty 12
 * has no such deadline of its own. A connection is watched between requests: once bytes of a next request
 * have arrived and no request has begun for longer than the timeout, it is closed. A connection that sends
 * nothing is left to the idle timeout, and a request being handled (a slow upload's body among them) is
 * never cut here.
 *
 * <p>It is a bean of the connector (so every connection is announced to it) and a handler in front of the
 * servlet (so it sees each request begin and end).
 */
final class SlowHeaderGuard extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SlowHeaderGuard.class);

    private final long timeoutNanos;
    private final long sweepMillis;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    SlowHeaderGuard(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    }

    /** What is known of one connection between its requests. */
    private static final class Watch {
        int handling;
        long boundary;
        long partialSince;
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stowage-header-timeout");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
        watched.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        // The HTTP connection itself (behind TLS too), whose bytes are request bytes; not the TLS layer's.
        if (connection instanceof AbstractMetaDataConnection) {
            watched.put(connection, new Watch());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    /** The handler to put in front of the servlet, which tells this guard when requests begin and end. */
    Handler.Wrapper requestTracker() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Connection connection = request.getConnectionMetaData().getConnection();
                Watch watch = watched.get(connection);
                if (watch != null) {
                    synchronized (watch) {
                        watch.handling++;
                        watch.partialSince = 0;
                    }
                    Request.addCompletionListener(request, failure -> {
                        synchronized (watch) {
                            watch.handling--;
                            watch.boundary = connection.getBytesIn();
                        }
                    });
                }
                return super.handle(request, response, callback);
            }
        };
    }

    private void sweep() {
        long now = System.nanoTime();
        watched.forEach((connection, watch) -> {
            boolean cut;
            synchronized (watch) {
                if (watch.handling > 0 || connection.getBytesIn() <= watch.boundary) {
                    watch.partialSince = 0;
                    return;
                }
                if (watch.partialSince == 0) {
                    watch.partialSince = now;
                    return;
                }
                cut = now - watch.partialSince > timeoutNanos;
            }
            if (cut) {
                LOG.info("closing a connection whose request headers did not arrive within {} ms",
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                watched.remove(connection);
                connection.close();
            }
        });
    }
}
