package io.stowage.server;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's one connector: HTTP, or HTTPS from the PEM files of {@code STOWAGE_TLS_CERT} and
 * {@code STOWAGE_TLS_KEY}; the idle timeout, the size of request headers (431 above it), no server
 * version in responses, and the {@link SlowHeaderGuard} against clients that send headers slowly.
 */
final class Connectors {

    private Connectors() {
    }

    static void install(JavalinConfig config, ServerSettings settings) {
        ServerSettings.Limits limits = settings.limits();
        SlowHeaderGuard guard = new SlowHeaderGuard(limits.headerTimeout());
        SslContextFactory.Server tls = settings.tls() ? tls(limits) : null;
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(limits.maxHeaderSize());
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            http.setIdleTimeout(limits.idleTimeout().toMillis());
            if (tls != null) {
                http.setSecureScheme("https");
                // One certificate for every name the server is reached by: SNI picks nothing here.
                http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            }
        });
        config.jetty.addConnector((server, http) -> {
            ServerConnector connector = tls == null
                    ? new ServerConnector(server, new HttpConnectionFactory(http))
                    : new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            connector.addBean(guard);
            return connector;
        });
        config.jetty.modifyServletContextHandler(context -> context.insertHandler(guard.requestTracker()));
    }

    private static SslContextFactory.Server tls(ServerSettings.Limits limits) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(PemKeyStore.load(limits.tlsCert(), limits.tlsKey()));
        factory.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        factory.setSniRequired(false);
        return factory;
    }
}
