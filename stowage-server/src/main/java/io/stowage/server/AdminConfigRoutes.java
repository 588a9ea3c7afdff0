package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.service.StorageService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration and the connections of the running storage (admin scope, each call audited; decision 0052):
 *
 * <pre>
 * POST /admin/storage/test-connection → {"ok", "backends": [{"backend", "ok", "latency_ms", "steps": {"write", "read",
 *                                        "delete"}, "failedStep"?, "error"?: {"kind", "message"}}]}
 * GET  /admin/config                  → {"configFile", "reloadable", "settings": [{"name", "value", "source",
 *                                        "origin", "secret"}]}
 * POST /admin/config/reload           → {"reloaded", "primary", "previousPrimary", "backends", "managersOpen",
 *                                        "restartNeeded"}; 422 CONFIG with "problems" when refused
 * </pre>
 */
final class AdminConfigRoutes {

    private final StorageService service;
    private final Reconfiguration reconfiguration;

    AdminConfigRoutes(StorageService service, Reconfiguration reconfiguration) {
        this.service = service;
        this.reconfiguration = reconfiguration;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.change(HandlerType.POST, "/admin/storage/test-connection", "admin.storage.test_connection",
                ctx -> "storage", this::testConnection);
        calls.view(HandlerType.GET, "/admin/config", "admin.config.view", ctx -> "config", this::config);
        calls.change(HandlerType.POST, "/admin/config/reload", "admin.config.reload", ctx -> "config",
                ctx -> ctx.json(reconfiguration.reload()));
    }

    private void testConnection(Context ctx) {
        List<Map<String, Object>> backends = ConfigViews.probes(service);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", backends.stream().allMatch(b -> Boolean.TRUE.equals(b.get("ok"))));
        body.put("backends", backends);
        ctx.json(body);
    }

    private void config(Context ctx) {
        ctx.json(ConfigViews.settings(reconfiguration.current(), reconfiguration.reloadable()));
    }
}
