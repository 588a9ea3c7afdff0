package io.stowage.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.stowage.BlobStore;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What an operator asks of a running service ({@link StorageService#operations()}): whether its catalog
 * answers, its totals, the health of the store it writes to, and its catalog pool's metrics.
 */
public final class ServiceOperations {

    private final CatalogDatabase catalog;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final Clock clock;
    private final Scans scans;
    private MeterRegistry bound;

    ServiceOperations(CatalogDatabase catalog, BlobStore blobs, AuditLog audit, Clock clock, Scans scans) {
        this.scans = scans;
        this.catalog = catalog;
        this.blobs = blobs;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Appends an operator's call to the audit log, for the calls that do not append themselves: an administrator's
     * views (storage, stats, the audit log itself), and a call refused before it reached the service. The actor is
     * the {@link CallContext}'s, else {@code system}; {@code outcome} is {@code ok} or an error kind.
     */
    public void audit(String action, String target, String outcome) {
        catalog.useTransaction("audit", h -> audit.append(h, StorageService.SYSTEM, action, target, outcome,
                clock.instant()));
    }

    /**
     * Asks the catalog for one row.
     *
     * @throws StorageException {@code UNAVAILABLE} naming the catalog when it does not answer
     */
    public void pingCatalog() {
        catalog.withHandle("ping", h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    }

    /** {@code sqlite} or {@code postgresql}. */
    public String catalogKind() {
        return catalog.postgres() ? "postgresql" : "sqlite";
    }

    /** Every owner's files and bytes, the trash included (the sum of {@link StorageService#usage}). */
    public Totals totals() {
        return catalog.withHandle("totals", h -> h.createQuery(
                        "SELECT COALESCE(SUM(files), 0), COALESCE(SUM(bytes), 0) FROM usage_counters")
                .map((rs, ctx) -> new Totals(rs.getLong(1), rs.getLong(2))).one());
    }

    /** A health probe of the store the service writes to; a probe that throws is reported unhealthy. */
    public HealthReport storeHealth() {
        try {
            return blobs.health();
        } catch (StorageException e) {
            return HealthReport.unhealthy(blobs.name(), Duration.ZERO, e);
        }
    }

    /** Whether saves are scanned for viruses, whether clamd answers, and what saves meet meanwhile (decision 0055). */
    public Scans.Health scanHealth() {
        return scans.health();
    }

    /** The name of the store the service writes to. */
    public String storeName() {
        return blobs.name();
    }

    /**
     * Publishes the catalog's connection pool metrics ({@code hikaricp.connections.*}, tag {@code pool}) to
     * {@code registry}. A pool publishes to one registry in its life: binding it again to the same one does
     * nothing, to another one fails.
     *
     * @throws IllegalStateException when the pool already publishes to another registry
     */
    public synchronized void bindMetrics(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (bound == registry) {
            return;
        }
        if (bound != null) {
            throw new IllegalStateException("the catalog pool already publishes its metrics to another registry");
        }
        catalog.publishMetrics(registry);
        bound = registry;
    }
}
