package io.stowage.server;

import io.javalin.http.HandlerType;
import java.util.Map;

/** {@code /health}: liveness, open to anyone. */
final class HealthRoutes {

    void register(Routes routes) {
        routes.open(HandlerType.GET, "/health", ctx -> ctx.json(Map.of("status", "UP")));
    }
}
