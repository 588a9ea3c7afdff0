package io.stowage.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Authenticator;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of DESIGN §5 over a {@link StorageService}: Javalin on Jetty 12, each request on a virtual
 * thread. It owns neither the service nor the authenticator; closing it stops listening and leaves them open.
 */
public final class StowageServer implements AutoCloseable {

    private final Javalin app;
    private final ServerSettings settings;
    private final List<Routes.Route> routes;
    private final Monitoring ownMonitoring;

    private StowageServer(Javalin app, ServerSettings settings, List<Routes.Route> routes, Monitoring ownMonitoring) {
        this.app = app;
        this.settings = settings;
        this.routes = routes;
        this.ownMonitoring = ownMonitoring;
    }

    /**
     * Starts a server on {@code settings}' host and port (0: a free one) and returns once it listens; its
     * metrics in a registry of its own, its health from the store the service writes to.
     */
    public static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator) {
        Monitoring own = Monitoring.create();
        try {
            return start(settings, service, authenticator, own, own);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * As {@link #start(ServerSettings, StorageService, Authenticator)}, with metrics in {@code monitoring}'s
     * registry and health from its manager when it has one. The monitoring stays the caller's.
     */
    public static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator,
                                      Monitoring monitoring) {
        return start(settings, service, authenticator, monitoring, null);
    }

    private static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator,
                                       Monitoring monitoring, Monitoring own) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(monitoring, "monitoring");
        Routes[] registered = new Routes[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            Connectors.install(config, settings);
            config.jsonMapper(new JavalinJackson(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS), false));
            Requests.install(config);
            Cors.install(config, settings.limits().corsOrigins());
            BodyLimit.install(config, settings.limits().maxBodySize());
            HttpMetrics.install(config, monitoring.registry());
            Problems.install(config);
            RateLimits.install(config);
            DocsRoutes docs = DocsRoutes.install(config, settings.tls());
            Routes routes = new Routes(config, authenticator,
                    new RateLimits(settings.limits().rateLimit(), settings.limits().rateLimitBurst()));
            new HealthRoutes(service.operations(), monitoring.manager()).register(routes);
            new MetricsRoutes(monitoring.prometheus(), settings.metricsPublic()).register(routes);
            docs.register(routes);
            new FileRoutes(service).register(routes);
            registered[0] = routes;
        });
        bindCatalogMetrics(service, monitoring);
        app.start();
        return new StowageServer(app, settings, registered[0].all(), own);
    }

    /** The catalog pool's meters go to the registry of the first server over the service. */
    private static void bindCatalogMetrics(StorageService service, Monitoring monitoring) {
        try {
            service.operations().bindMetrics(monitoring.registry());
        } catch (IllegalStateException e) {
            LoggerFactory.getLogger(StowageServer.class).warn("the catalog pool's metrics stay with the first server"
                    + " started over this service: {}", e.getMessage());
        }
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** Its address as clients on this machine reach it. */
    public URI localUri() {
        String host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? "127.0.0.1" : settings.host();
        return URI.create((settings.tls() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** The routes it answers, with the scope each needs. */
    List<Routes.Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
        if (ownMonitoring != null) {
            ownMonitoring.close();
        }
    }
}
