package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stowage.service.auth.Scope;

/**
 * {@code GET /metrics}: every meter in Prometheus' text format. It needs the admin scope unless
 * {@code STOWAGE_METRICS_PUBLIC=true} (a scraper inside a private network then needs no key).
 */
final class MetricsRoutes {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final boolean open;

    MetricsRoutes(PrometheusMeterRegistry registry, boolean open) {
        this.registry = registry;
        this.open = open;
    }

    void register(Routes routes) {
        if (open) {
            routes.open(HandlerType.GET, "/metrics", this::scrape);
        } else {
            routes.secured(HandlerType.GET, "/metrics", Scope.ADMIN, this::scrape);
        }
    }

    private void scrape(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(registry.scrape());
    }
}
