package io.stowage.service;

import io.stowage.StorageException;
import java.time.Clock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/** What every operation of the service checks and records: the owner's file, and failures in the audit log. */
final class Guards {

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final AuditLog audit;
    private final Clock clock;
    private final FailedOperations failures;
    private final FileCache cache;

    /** @param cache the files recently saved, changed or read, or null to look each one up */
    Guards(CatalogDatabase catalog, FileCatalog files, AuditLog audit, Clock clock, FailedOperations failures,
           FileCache cache) {
        this.failures = failures;
        this.cache = cache;
        this.catalog = catalog;
        this.files = files;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Runs a mutation; when it fails, appends the failure to the audit log (its success appends itself, in its
     * own transaction), records it as a failed operation unless it was a refusal, and rethrows.
     */
    <T> T audited(String owner, String action, String target, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            try {
                catalog.useTransaction("audit", h -> audit.append(h, owner, action, target, AuditLog.outcome(e),
                        clock.instant()));
            } catch (RuntimeException failed) {
                e.addSuppressed(failed);
            }
            failures.record(owner, action, target, java.util.Map.of(), e);
            throw e;
        }
    }

    /**
     * As {@link #audited}, for a change of {@code owner}'s file {@code fileId}: once it has committed, or failed
     * (perhaps half way), the read cache forgets the file before this returns, so this node's next read finds what
     * the change left.
     */
    <T> T changing(String owner, String action, String fileId, Supplier<T> call) {
        try {
            return audited(owner, action, "file:" + printableId(fileId), call);
        } finally {
            if (cache != null && Ids.wellFormed(fileId)) {
                cache.changed(fileId);
            }
        }
    }

    /** As {@link #changing}, for a change of every file of {@code owner}. */
    <T> T changingOwner(String owner, String action, Supplier<T> call) {
        try {
            return audited(owner, action, "owner:" + owner, call);
        } finally {
            if (cache != null) {
                cache.ownerChanged(owner);
            }
        }
    }

    /** {@code owner}'s file in use; {@code NOT_FOUND} for anything else, another owner's file included. */
    FileCatalog.Entry existing(Handle h, String owner, String fileId) {
        if (!Ids.wellFormed(fileId)) {
            throw fileNotFound(fileId);
        }
        return files.find(h, owner, fileId, FileCatalog.ACTIVE).orElseThrow(() -> fileNotFound(fileId));
    }

    /**
     * As {@link #existing(Handle, String, String)}, on a reading connection of its own in plain JDBC, or from the
     * read cache (whose hits on PostgreSQL need no connection).
     */
    FileCatalog.Entry existing(String operation, String owner, String fileId) {
        if (!Ids.wellFormed(fileId)) {
            throw fileNotFound(fileId);
        }
        return (cache == null ? catalog.readPlain(operation, c -> files.find(c, owner, fileId, FileCatalog.ACTIVE))
                : cache.find(catalog, operation, owner, fileId))
                .orElseThrow(() -> fileNotFound(fileId));
    }

    static String printableId(String id) {
        return Ids.wellFormed(id) ? id : "?";
    }

    static StorageException fileNotFound(String fileId) {
        return StorageException.notFound(null, "no file '" + printableId(fileId) + "'");
    }
}
