package io.stowage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.HealthReport;
import io.stowage.config.StorageDescription;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.BackendHealth;
import io.stowage.manager.HealthStatus;
import io.stowage.manager.StorageManager;
import io.stowage.service.ServiceStats;
import io.stowage.service.StorageService;
import io.stowage.service.Totals;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /admin/storage} and {@code GET /admin/stats} (admin scope, audited as {@code admin.storage.view} and
 * {@code admin.stats.view}).
 *
 * <pre>
 * GET /admin/storage → {"types", "backends", "routing", "routed" (settings masked, layer settings),
 *                       "health": {"overall", "primary", "writesTo", "backends": {name: {"state", "circuit",
 *                       "latency_ms", "consecutiveFailures", "error"?}}}}
 * GET /admin/stats   → {"total", "byOwner", "byTier", "byBackend", "bySegment"}, each {"files", "bytes"}
 * </pre>
 * Over a service opened on a store without a manager, the storage answer names that store and its health only.
 * Settings are those {@link StorageDescription} shows: every secret masked, endpoints without credentials; a
 * probe's detail (which may quote a backend) is left out, its error kind is shown.
 */
final class AdminStorageRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StorageService service;

    AdminStorageRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.view(HandlerType.GET, "/admin/storage", "admin.storage.view", ctx -> "storage", this::storage);
        calls.view(HandlerType.GET, "/admin/stats", "admin.stats.view", ctx -> "stats", this::stats);
    }

    private void storage(Context ctx) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (service.manager().isPresent()) {
            StorageManager manager = service.manager().get();
            body.putAll(JSON.readValue(StorageDescription.of(manager.config(), BlobStoreProviders.load()).toJson(),
                    new TypeReference<Map<String, Object>>() { }));
            body.put("health", health(manager.health()));
        } else {
            HealthReport r = service.operations().storeHealth();
            String name = service.operations().storeName();
            Map<String, Object> backend = new LinkedHashMap<>();
            backend.put("state", r.healthy() ? "up" : r.refusing() ? "refusing" : "down");
            backend.put("latency_ms", HealthRoutes.millis(r.latency()));
            r.errorKind().ifPresent(k -> backend.put("error", k.name()));
            body.put("store", name);
            body.put("health", Map.of("primary", name, "backends", Map.of(name, backend)));
        }
        ctx.json(body);
    }

    private static Map<String, Object> health(HealthStatus status) {
        Map<String, Object> backends = new LinkedHashMap<>();
        status.backends().forEach((name, h) -> backends.put(name, backend(h)));
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("overall", status.overall().label());
        health.put("primary", status.primary());
        health.put("writesTo", status.writesTo());
        health.put("backends", backends);
        return health;
    }

    private static Map<String, Object> backend(BackendHealth h) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("state", h.state().label());
        b.put("circuit", h.circuit());
        b.put("latency_ms", HealthRoutes.millis(h.latency()));
        b.put("consecutiveFailures", h.consecutiveFailures());
        b.put("checkedAt", h.checkedAt() == null ? null : h.checkedAt().toString());
        h.errorKind().ifPresent(k -> b.put("error", k.name()));
        return b;
    }

    private void stats(Context ctx) {
        ServiceStats stats = service.stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", totals(stats.total()));
        body.put("byOwner", each(stats.byOwner()));
        body.put("byTier", each(stats.byTier()));
        body.put("byBackend", each(stats.byBackend()));
        body.put("bySegment", each(stats.bySegment()));
        ctx.json(body);
    }

    private static <K> Map<String, Object> each(Map<K, Totals> totals) {
        Map<String, Object> out = new TreeMap<>();
        totals.forEach((k, t) -> out.put(String.valueOf(k), totals(t)));
        return out;
    }

    static Map<String, Object> totals(Totals t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", t.files());
        out.put("bytes", t.bytes());
        return out;
    }
}
