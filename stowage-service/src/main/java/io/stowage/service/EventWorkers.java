package io.stowage.service;

import io.stowage.manager.BackendHealthChanged;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service runs in the background for events, on one daemon thread started with it: the
 * {@link WebhookWorker} and the writing of counted reads ({@link ReadEvents}); and the events that come from
 * outside a call (a backend's health); and the {@link Webhooks} facet the worker serves. Closing stops both, waits for an attempt in flight, and writes the
 * reads still counted.
 */
final class EventWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventWorkers.class);

    private final CatalogDatabase catalog;
    private final EventOutbox events;
    private final EventSettings settings;
    private final Clock clock;
    private final WebhookWorker worker;
    private final ReadEvents reads;
    private final Webhooks webhooks;
    private ScheduledExecutorService executor;
    private volatile boolean closed;

    EventWorkers(CatalogDatabase catalog, EventOutbox events, AuditLog audit, EventSettings settings, Clock clock) {
        this.catalog = catalog;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.worker = new WebhookWorker(catalog, events, settings, clock);
        this.reads = new ReadEvents(catalog, events, clock, settings.readFlushCount());
        this.webhooks = new Webhooks(catalog, audit, clock);
    }

    Webhooks webhooks() {
        return webhooks;
    }

    synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stowage-events");
            t.setDaemon(true);
            return t;
        });
        worker.start(executor);
        reads.start(executor, settings.readFlushInterval());
    }

    ReadEvents reads() {
        return reads;
    }

    WebhookWorker worker() {
        return worker;
    }

    /** Writes a {@code backend.health_changed} event (the manager calls it on its probing thread). */
    void healthChanged(BackendHealthChanged change) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        try {
            events.announce(catalog.inTransaction("health", h -> events.append(h, FileEvent.HEALTH_CHANGED, "", "",
                    Map.of("backend", change.backend(), "from", change.from().name(), "to", change.to().name(),
                            "error_kind", change.errorKind().map(Enum::name).orElse(""),
                            "detail", FailedOperations.scrub(change.health().detail())), now)));
        } catch (RuntimeException e) {
            LOG.warn("could not write the health change of backend '{}' as an event: {}", change.backend(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        worker.close();
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        try {
            reads.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write the last counted reads as events: {}", e.getMessage());
        }
    }
}
