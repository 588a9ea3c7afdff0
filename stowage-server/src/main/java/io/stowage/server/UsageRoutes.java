package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.service.StorageService;
import io.stowage.service.Usage;
import io.stowage.service.auth.Scope;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/usage}: what the caller stores and its quotas, {@code null} where there is none. */
final class UsageRoutes {

    private final StorageService service;

    UsageRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.GET, "/v1/usage", Scope.READ, this::usage);
    }

    private void usage(Context ctx) {
        Usage usage = service.usage(Requests.owner(ctx));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bytes", usage.bytes());
        json.put("files", usage.files());
        json.put("maxBytes", usage.maxBytes().isPresent() ? usage.maxBytes().getAsLong() : null);
        json.put("maxFiles", usage.maxFiles().isPresent() ? usage.maxFiles().getAsLong() : null);
        ctx.json(json);
    }
}
