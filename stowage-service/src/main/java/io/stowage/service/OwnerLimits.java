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
    /** Keeps owners' quotas where it can tell when they change; null when reads look everything up. */
    private final FileCache cache;

    OwnerLimits(CatalogDatabase catalog, FileCatalog files, QuotaCatalog quotas, AuditLog audit, Clock clock,
                FileCache cache) {
        this.catalog = catalog;
        this.files = files;
        this.quotas = quotas;
        this.audit = audit;
        this.clock = clock;
        this.cache = cache;
    }

    /** The service's limits as the configuration says now (decision 0066). */
    LiveLimits live() {
        return quotas.live();
    }

    /** Read before a save streams its content, on a plain reading connection (0068), the own quota kept (0090). */
    long maxUploadSize(String owner) {
        Names.owner(owner);
        return quotas.limits(catalog, cache, "limits", owner).maxUploadSize();
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
        if (cache != null) {
            cache.quotaChanged(owner);
        }
    }
}
