package io.stowage.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} (Prometheus {@code http_server_requests_seconds}), tags
 * {@code method}, {@code route} (the route's template such as {@code /v1/files/{id}}, never the raw path, so a
 * scan of random paths adds no series: whatever no route matched is {@code unmatched}) and {@code status}.
 * Each timer is looked up once and kept (decision 0067): building and registering one per request was a
 * few percent of a small GET's CPU. Javalin's requests are timed by its request logger, those
 * {@link ContentFastPath} answers by that path, into the same series.
 */
final class HttpMetrics {

    static final String NAME = "http.server.requests";
    static final String UNMATCHED = "unmatched";

    private record Series(String method, String route, int status) {
    }

    private final MeterRegistry registry;
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    private HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static HttpMetrics install(JavalinConfig config, MeterRegistry registry) {
        HttpMetrics metrics = new HttpMetrics(registry);
        config.requestLogger.http((ctx, millis) ->
                metrics.record(ctx.method().name(), route(ctx), ctx.status().getCode(), (long) (millis * 1_000_000d)));
        return metrics;
    }

    /** Counts one request of {@code method} on the route template {@code route} answered {@code status}. */
    void record(String method, String route, int status, long nanos) {
        timers.computeIfAbsent(new Series(method, route, status), s -> Timer.builder(NAME)
                        .description("HTTP requests by method, route template and status")
                        .tag("method", s.method())
                        .tag("route", s.route())
                        .tag("status", Integer.toString(s.status()))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
            return endpoint == null ? UNMATCHED : endpoint.path;
        } catch (RuntimeException e) {
            return UNMATCHED;
        }
    }
}
