package io.stowage.service;

import java.time.Clock;
import java.time.Instant;

/** An owner's limits and what the owner stores against them: usage, quotas, the largest upload. */
final class OwnerLimits {

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final QuotaCatalog quotas;
    private final AuditLog audit;
    private final Clock clock;

    OwnerLimits(CatalogDatabase catalog, FileCatalog files, QuotaCatalog quotas, AuditLog audit, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.quotas = quotas;
        this.audit = audit;
        this.clock = clock;
    }

    /** The service's limits as the configuration says now (decision 0066). */
    LiveLimits live() {
        return quotas.live();
    }

    /** Read before a save streams its content, on a plain reading connection as the save's other reads (0068). */
    long maxUploadSize(String owner) {
        Names.owner(owner);
        return catalog.readPlain("limits", c -> quotas.limits(c, owner)).maxUploadSize();
    }

    Usage usage(String owner) {
        Names.owner(owner);
        return catalog.read("usage", h -> {
            Usage used = files.usage(h, owner);
            QuotaCatalog.Limits limits = quotas.limits(h, owner);
            return new Usage(owner, used.bytes(), used.files(), limits.maxBytes(), limits.maxFiles());
        });
    }

    void setQuota(String owner, Quota quota) {
        Names.owner(owner);
        Instant now = clock.instant();
        catalog.useTransaction("quota", h -> {
            files.ensureOwner(h, owner, now);
            quotas.set(h, owner, quota);
            audit.append(h, owner, "quota.set", "owner:" + owner, AuditLog.OK, now);
        });
    }
}
