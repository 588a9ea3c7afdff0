package io.stowage.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.stowage.service.StorageService;
import io.stowage.service.auth.AuthSettings;
import io.stowage.service.auth.Authenticator;
import io.stowage.spi.PooledJson;
import jakarta.servlet.DispatcherType;
import io.stowage.service.auth.BearerAuthenticator;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The HTTP server of DESIGN §5 over a {@link StorageService}: Javalin on Jetty 12, each request on a virtual
 * thread. It owns neither the service nor the authenticator; closing it stops listening and leaves them open.
 *
 * <p>{@link #close()} is graceful: it stops accepting connections, lets the requests in flight finish within
 * {@link ServerSettings#shutdownGrace()}, then closes the connections of the rest, which makes their uploads
 * fail and undo themselves (nothing partial stays), and returns once their handlers are done.
 */
public final class StowageServer implements AutoCloseable {

    private final Javalin app;
    private final ServerSettings settings;
    private final List<Routes.Route> routes;
    private final Monitoring ownMonitoring;
    private final GracefulHandler responses;
    private final InFlight inFlight;
    private final ContentFastPath fastPath;

    /** How long a shutdown waits, after aborting the transfers left, for their handlers to clean up. */
    private static final Duration CLEANUP_BOUND = Duration.ofSeconds(30);

    private StowageServer(Javalin app, ServerSettings settings, List<Routes.Route> routes, Monitoring ownMonitoring,
                          GracefulHandler responses, InFlight inFlight, ContentFastPath fastPath) {
        this.app = app;
        this.responses = responses;
        this.settings = settings;
        this.routes = routes;
        this.ownMonitoring = ownMonitoring;
        this.inFlight = inFlight;
        this.fastPath = fastPath;
    }

    /**
     * Starts a server on {@code settings}' host and port (0: a free one) and returns once it listens; its
     * metrics in a registry of its own, its health from the store the service writes to.
     */
    public static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator) {
        Monitoring own = Monitoring.create();
        try {
            return start(settings, service, authenticator, own, own, null);
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
        return start(settings, service, authenticator, monitoring, null, null);
    }

    /**
     * As {@link #start(ServerSettings, StorageService, Authenticator, Monitoring)}, able to read its configuration
     * again from {@code reload}'s sources ({@code POST /admin/config/reload}, the {@code .env} routes; decision 0052).
     */
    public static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator,
                                      Monitoring monitoring, ConfigReload reload) {
        return start(settings, service, authenticator, monitoring, null, Objects.requireNonNull(reload, "reload"));
    }

    private static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator,
                                       Monitoring monitoring, Monitoring own, ConfigReload reload) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(monitoring, "monitoring");
        Routes[] registered = new Routes[1];
        ContentFastPath[] fastPath = new ContentFastPath[1];
        // Requests counted until their response is written (Javalin mounts its servlet inside this wrapper), and
        // handlers until they return, which after an abort is later: the upload undoes itself first.
        GracefulHandler responses = new GracefulHandler();
        InFlight inFlight = new InFlight();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jetty.modifyServletContextHandler(handler ->
                    handler.addFilter(new FilterHolder(inFlight), "/*", EnumSet.of(DispatcherType.REQUEST)));
            Handler.Wrapper headerGuard = Connectors.install(config, settings);
            config.jsonMapper(new JavalinJackson(new ObjectMapper(PooledJson.factory()).registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS), false));
            Requests.install(config);
            Cors.install(config, settings.limits().corsOrigins());
            BodyLimit.install(config, settings.limits().maxBodySize());
            HttpMetrics metrics = HttpMetrics.install(config, monitoring.registry());
            Problems.install(config);
            RateLimits.install(config);
            DocsRoutes docs = DocsRoutes.install(config, settings.tls());
            RateLimits limits = new RateLimits(settings.limits().rateLimit(), settings.limits().rateLimitBurst());
            Routes routes = new Routes(config, authenticator, limits);
            // In front of Javalin's servlet (which Javalin puts inside the innermost wrapper): the graceful shutdown,
            // the slow-header guard, then the plain file content reads that skip the servlet layer (decision 0086).
            ContentFastPath fast = new ContentFastPath(service, authenticator, limits, metrics, inFlight);
            config.jetty.modifyServer(server -> {
                headerGuard.setHandler(fast);
                responses.setHandler(headerGuard);
                server.setHandler(responses);
            });
            fastPath[0] = fast;
            // Javalin tries a request's path against each route's pattern in the order they were registered: the file
            // routes first, as they take most requests (decision 0082); the health, metrics and docs routes they now
            // precede match none of their paths, so no request finds another route than before.
            new FileRoutes(service).register(routes);
            // The service's manager now (a reload replaces it) when the monitoring reports on a manager.
            new HealthRoutes(service.operations(), () -> monitoring.manager().isEmpty() ? monitoring.manager()
                    : service.manager().or(monitoring::manager)).register(routes);
            new MetricsRoutes(monitoring.prometheus(), settings.metricsPublic()).register(routes);
            docs.register(routes);
            new TrashRoutes(service).register(routes);
            new VersionRoutes(service).register(routes);
            new UsageRoutes(service).register(routes);
            new LinkRoutes(service, settings).register(routes);
            new ThumbnailRoutes(service).register(routes);
            new AdminKeyRoutes(service.apiKeys()).register(routes);
            new AdminStorageRoutes(service).register(routes);
            new AdminOwnerRoutes(service).register(routes);
            new AdminAuditRoutes(service).register(routes);
            new AdminWebhookRoutes(service).register(routes);
            new AdminMaintenanceRoutes(service).register(routes);
            new DirectUploadRoutes(service, settings).register(routes);
            new CompatibilityRoutes(service, settings).register(routes);
            Reconfiguration reconfiguration = new Reconfiguration(service, reload);
            new AdminConfigRoutes(service, reconfiguration).register(routes);
            new StorageServiceCompatRoutes(service, reconfiguration).register(routes);
            new AdminJobRoutes(service).register(routes);
            new TusRoutes(service.resumable()).register(routes);
            new AdminMigrationRoutes(service).register(routes);
            registered[0] = routes;
        });
        bindCatalogMetrics(service, monitoring);
        app.start();
        return new StowageServer(app, settings, registered[0].all(), own, responses, inFlight, fastPath[0]);
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

    /**
     * As {@link #start(ServerSettings, StorageService, Authenticator)}, checking bearer credentials against the
     * service's API keys and JWTs as {@code auth} configures them ({@link BearerAuthenticator}).
     */
    public static StowageServer start(ServerSettings settings, StorageService service, AuthSettings auth) {
        return start(settings, service, BearerAuthenticator.of(service.apiKeys(), auth));
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

    /** How many requests {@link ContentFastPath} answered, in front of Javalin. */
    long fastPathAnswers() {
        return fastPath.answered();
    }

    /** How many requests are being handled now (a shutdown says how many it waits for). */
    public int requestsInFlight() {
        return (int) Math.max(responses.getCurrentRequestCount(), inFlight.active());
    }

    @Override
    public void close() {
        var jetty = app.jettyServer().server();
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof NetworkConnector listening) {
                listening.close();
            }
        }
        boolean drained = drain(settings.shutdownGrace());
        // The grace is over: stop at once, closing the connections of whatever still runs.
        jetty.setStopTimeout(0);
        app.stop();
        if (!drained) {
            inFlight.awaitIdle(CLEANUP_BOUND);
        }
        if (ownMonitoring != null) {
            ownMonitoring.close();
        }
    }

    /** Lets the requests in flight complete (new ones on open connections get 503) within {@code grace}. */
    private boolean drain(Duration grace) {
        try {
            responses.shutdown().get(grace.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
