package io.stowage.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.stowage.service.StorageService;
import io.stowage.service.auth.AuthSettings;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.BearerAuthenticator;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP server of DESIGN §5 over a {@link StorageService}: Javalin on Jetty 12, each request on a virtual
 * thread. It owns neither the service nor the authenticator; closing it stops listening and leaves them open.
 */
public final class StowageServer implements AutoCloseable {

    private final Javalin app;
    private final ServerSettings settings;
    private final List<Routes.Route> routes;

    private StowageServer(Javalin app, ServerSettings settings, List<Routes.Route> routes) {
        this.app = app;
        this.settings = settings;
        this.routes = routes;
    }

    /** Starts a server on {@code settings}' host and port (0: a free one) and returns once it listens. */
    public static StowageServer start(ServerSettings settings, StorageService service, Authenticator authenticator) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authenticator, "authenticator");
        Routes[] registered = new Routes[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jsonMapper(new JavalinJackson(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS), false));
            Requests.install(config);
            Problems.install(config);
            Routes routes = new Routes(config, authenticator);
            new HealthRoutes().register(routes);
            new FileRoutes(service).register(routes);
            new AdminKeyRoutes(service.apiKeys()).register(routes);
            registered[0] = routes;
        });
        app.start();
        return new StowageServer(app, settings, registered[0].all());
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
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** The routes it answers, with the scope each needs. */
    List<Routes.Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
    }
}
