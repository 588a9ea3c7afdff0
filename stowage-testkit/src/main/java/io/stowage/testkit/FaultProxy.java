package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.core.throttle.rate.ByteRateThrottler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A real TCP proxy (netcrusher) between a client and a server on this machine, with the faults the
 * scenarios need:
 * <ul>
 *   <li>{@link #refuse()}: the listening socket is closed, so connecting is refused; {@link #accept()}
 *       opens it again on the same port;
 *   <li>{@link #freeze()}: connections are accepted but no byte moves either way (a stalled server);
 *   <li>{@link #resetConnections()}: every open connection is closed, mid-transfer or not;
 *   <li>{@link #throttle(long)}: each connection moves at most that many bytes per second each way.
 * </ul>
 * It counts the bytes it forwards each way, so a test can wait until a transfer is under way, and the
 * connections it has accepted, so a test can tell that a client came back with another request.
 */
public final class FaultProxy implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final int port;
    private final AtomicLong upstream = new AtomicLong();
    private final AtomicLong downstream = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile long bytesPerSecond;

    private FaultProxy(int targetPort) throws IOException {
        this.reactor = new NioReactor(5);
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        this.crusher = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress(new InetSocketAddress("127.0.0.1", port))
                .withConnectAddress(new InetSocketAddress("127.0.0.1", targetPort))
                .withOutgoingTransformFilterFactory(a -> {
                    connections.incrementAndGet();
                    return bb -> upstream.addAndGet(bb.remaining());
                })
                .withIncomingTransformFilterFactory(a -> bb -> downstream.addAndGet(bb.remaining()))
                .withOutgoingThrottlerFactory(a -> throttler())
                .withIncomingThrottlerFactory(a -> throttler())
                .withConnectionTimeoutMs(5_000)
                .buildAndOpen();
    }

    /** A proxy on a free port in front of {@code targetPort} on the loopback interface, accepting. */
    public static FaultProxy to(int targetPort) {
        try {
            return new FaultProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One connection's throttler, which applies whatever rate is set when each buffer passes. */
    private Throttler throttler() {
        ByteRateThrottler[] limited = {null};
        long[] rate = {0};
        return bb -> {
            long now = bytesPerSecond;
            if (now <= 0) {
                return Throttler.NO_DELAY_NS;
            }
            if (limited[0] == null || rate[0] != now) {
                limited[0] = new ByteRateThrottler(now, 1, TimeUnit.SECONDS);
                rate[0] = now;
            }
            return limited[0].calculateDelayNs(bb);
        };
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Closes the listening socket and every connection: connecting is refused until {@link #accept()}. */
    public void refuse() {
        crusher.close();
    }

    /** Listens again on the same port. */
    public void accept() {
        if (!crusher.isOpen()) {
            crusher.open();
        }
    }

    /** Keeps connections open (and accepts new ones) but moves no byte until {@link #unfreeze()}. */
    public void freeze() {
        if (crusher.isOpen() && !crusher.isFrozen()) {
            crusher.freeze();
        }
    }

    /** Moves bytes again; harmless when not frozen. */
    public void unfreeze() {
        if (crusher.isOpen() && crusher.isFrozen()) {
            crusher.unfreeze();
        }
    }

    /** Closes every open connection, whatever it is in the middle of; new connections are accepted. */
    public void resetConnections() {
        crusher.closeAllPairs();
    }

    /** Limits each connection to {@code bytesPerSecond} each way (0 for no limit). */
    public void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Connections accepted so far (each client connection counts once, however many requests it carries). */
    public long connections() {
        return connections.get();
    }

    /** Bytes forwarded from clients to the server so far. */
    public long upstreamBytes() {
        return upstream.get();
    }

    /** Bytes forwarded from the server to clients so far. */
    public long downstreamBytes() {
        return downstream.get();
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }
}
