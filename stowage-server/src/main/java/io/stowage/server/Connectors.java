package io.stowage.server;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's one connector: HTTP, or HTTPS from the PEM files of {@code STOWAGE_TLS_CERT} and
 * {@code STOWAGE_TLS_KEY}; the idle timeout, the size of request headers (431 above it), the input buffer, no server
 * version in responses, and the {@link SlowHeaderGuard} against clients that send headers slowly.
 */
final class Connectors {

    /**
     * How much of a request a connection reads from its socket at once: 64 KiB, not Jetty's 8 KiB, so an upload's
     * body arrives in an eighth of the reads (decision 0083). Not larger: Jetty's buffer pool keeps buffers up to
     * 64 KiB for the next request, and allocates larger ones (direct memory, bounded by the heap's size) each time.
     */
    static final int INPUT_BUFFER = 64 << 10;

    private Connectors() {
    }

    /**
     * Configures the connector on {@code config} and returns the slow-header guard's request tracker, the handler
     * that must stand in front of whatever answers requests (see {@link SlowHeaderGuard#requestTracker()}).
     */
    static Handler.Wrapper install(JavalinConfig config, ServerSettings settings) {
        ServerSettings.Limits limits = settings.limits();
        SlowHeaderGuard guard = new SlowHeaderGuard(limits.headerTimeout());
        SslContextFactory.Server tls = settings.tls() ? tls(limits) : null;
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(limits.maxHeaderSize());
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            http.setIdleTimeout(limits.idleTimeout().toMillis());
            http.setInputBufferSize(INPUT_BUFFER);
            if (tls != null) {
                http.setSecureScheme("https");
                // One certificate for every name the server is reached by: SNI picks nothing here.
                http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            }
        });
        config.jetty.addConnector((server, http) -> {
            HttpConnectionFactory factory = new HttpConnectionFactory(http);
            factory.setInputBufferSize(INPUT_BUFFER);
            ServerConnector connector = tls == null
                    ? new ServerConnector(server, factory)
                    : new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), factory);
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            connector.addBean(guard);
            return connector;
        });
        return guard.requestTracker();
    }

    private static SslContextFactory.Server tls(ServerSettings.Limits limits) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(PemKeyStore.load(limits.tlsCert(), limits.tlsKey()));
        factory.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        factory.setSniRequired(false);
        return factory;
    }
}
