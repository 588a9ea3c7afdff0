package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import io.stowage.manager.BackendHealth;
import io.stowage.manager.HealthStatus;
import io.stowage.manager.StorageManager;
import io.stowage.service.Scans;
import io.stowage.service.ServiceOperations;
import io.stowage.service.Totals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /health} (liveness), {@code /health/ready} (the catalog and the primary answer) and
 * {@code /health/storage} (spec 002's shape), all open to anyone (decision 0044): they name backends and
 * states, never a probe's detail, an endpoint or a setting.
 */
final class HealthRoutes {

    private static final double BYTES_PER_GB = 1024d * 1024 * 1024;

    private final ServiceOperations operations;
    private final java.util.function.Supplier<Optional<StorageManager>> managers;

    /** @param managers the manager to report on, asked at each request (a reload replaces it) */
    HealthRoutes(ServiceOperations operations, java.util.function.Supplier<Optional<StorageManager>> managers) {
        this.operations = operations;
        this.managers = managers;
    }

    void register(Routes routes) {
        routes.open(HandlerType.GET, "/health", ctx -> ctx.json(Map.of("status", "UP")));
        routes.open(HandlerType.GET, "/health/ready", this::ready);
        routes.open(HandlerType.GET, "/health/storage", this::storage);
    }

    /** 200 when the catalog and the primary answer, else 503 naming what does not. */
    private void ready(Context ctx) {
        Map<String, Object> checks = new LinkedHashMap<>();
        List<String> down = new ArrayList<>();
        Map<String, Object> catalog = catalogCheck();
        checks.put("catalog", catalog);
        if (!(Boolean) catalog.get("healthy")) {
            down.add("catalog");
        }
        String primary = managers.get().map(StorageManager::primary).orElse(operations.storeName());
        HealthReport report = primaryHealth();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", primary);
        p.put("healthy", report.healthy());
        p.put("latency_ms", millis(report.latency()));
        report.errorKind().ifPresent(k -> p.put("error", k.name()));
        checks.put("primary", p);
        if (!report.healthy()) {
            down.add("primary backend '" + primary + "'");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", down.isEmpty() ? "ready" : "not ready");
        if (!down.isEmpty()) {
            body.put("down", down);
            ctx.status(503).header("Retry-After", "5");
        }
        checks.put("scan", scanCheck());
        body.put("checks", checks);
        ctx.json(body);
    }

    /** Spec 002's document, with {@code state}, {@code status} and {@code total_size_bytes} beside its fields. */
    private void storage(Context ctx) {
        Map<String, Object> backends = new LinkedHashMap<>();
        String primary;
        String status;
        Optional<StorageManager> manager = managers.get();
        if (manager.isPresent()) {
            HealthStatus health = manager.get().health();
            primary = health.primary();
            status = health.overall().label();
            health.backends().forEach((name, h) -> backends.put(name, backend(h.state() == BackendHealth.State.UP
                    || h.state() == BackendHealth.State.DEGRADED, h.latency(), h.state().label())));
        } else {
            HealthReport r = operations.storeHealth();
            primary = operations.storeName();
            status = r.healthy() ? "up" : r.refusing() ? "refusing" : "down";
            backends.put(primary, backend(r.healthy(), r.latency(), status));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backends", backends);
        body.put("primary_backend", primary);
        Optional<Totals> totals = totals();
        body.put("total_files", totals.map(Totals::files).orElse(null));
        body.put("total_size_gb", totals.map(t -> Math.round(t.bytes() / BYTES_PER_GB * 1e6) / 1e6).orElse(null));
        body.put("total_size_bytes", totals.map(Totals::bytes).orElse(null));
        body.put("status", status);
        body.put("catalog", catalogCheck());
        body.put("scan", scanCheck());
        ctx.json(body);
    }

    private HealthReport primaryHealth() {
        Optional<StorageManager> manager = managers.get();
        if (manager.isEmpty()) {
            return operations.storeHealth();
        }
        StorageManager m = manager.get();
        try {
            return m.backends().get(m.primary()).health();
        } catch (StorageException e) {
            return HealthReport.unhealthy(m.primary(), Duration.ZERO, e);
        }
    }

    private Map<String, Object> catalogCheck() {
        long start = System.nanoTime();
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("kind", operations.catalogKind());
        try {
            operations.pingCatalog();
            check.put("healthy", true);
        } catch (StorageException e) {
            check.put("healthy", false);
            check.put("error", e.kind().name());
        }
        check.put("latency_ms", millis(Duration.ofNanos(System.nanoTime() - start)));
        return check;
    }

    /**
     * The virus scanner: whether saves are scanned, whether clamd answers, the fail mode and what uploads meet now
     * ({@code scanned}, {@code refused}, {@code unscanned}). A scanner away leaves the node ready: reads go on.
     */
    private Map<String, Object> scanCheck() {
        Scans.Health h = operations.scanHealth();
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("enabled", h.enabled());
        check.put("healthy", h.healthy());
        check.put("fail_mode", h.failMode());
        check.put("uploads", h.uploads());
        check.put("latency_ms", millis(h.latency()));
        return check;
    }

    private Optional<Totals> totals() {
        try {
            return Optional.of(operations.totals());
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> backend(boolean healthy, Duration latency, String state) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("healthy", healthy);
        b.put("latency_ms", millis(latency));
        b.put("state", state);
        return b;
    }

    /** Milliseconds with three decimals: a local probe takes well under one. */
    static double millis(Duration d) {
        return Math.round(d.toNanos() / 1000d) / 1000d;
    }
}
