package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a {@link MigrationRun} copies one version between two backends, verified, and the small helpers it shares. */
final class MigrationCopies {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationCopies.class);

    private MigrationCopies() {
    }

    /** Streams the version from {@code from} to {@code to}; the target checks the SHA-256 the catalog holds. */
    static void transfer(BlobStore from, BlobStore to, MigrationCatalog.Item item) {
        BlobKey key = BlobKey.of(item.blobKey());
        try (BlobRead read = from.get(key, GetOptions.defaults())) {
            PutOptions.Builder options = PutOptions.builder().contentType(item.contentType())
                    .metadata(read.info().metadata());
            if (item.sha256() != null) {
                options.expectedSha256(item.sha256());
            }
            BlobInfo stored = to.put(key, BlobContent.of(read.stream(), item.size()), options.build());
            if (stored.size() != item.size()
                    || (item.sha256() != null && stored.sha256().isPresent() && !stored.sha256().get().equals(item.sha256()))) {
                to.delete(key);
                throw StorageException.integrity(to.name(), key, "the copy is not the version the catalog holds"
                        + " (size " + stored.size() + " for " + item.size() + ", or its SHA-256 differs)");
            }
        }
    }

    /** Whether {@code store} holds the version already, same size and SHA-256 (a copy made before a crash). */
    static boolean heldAlready(BlobStore store, MigrationCatalog.Item item) {
        try {
            BlobInfo there = store.stat(BlobKey.of(item.blobKey()));
            return there.size() == item.size() && item.sha256() != null
                    && there.sha256().map(item.sha256()::equals).orElse(false);
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** A source object missing is the service's failure here (the catalog names it), not a caller's refusal. */
    static RuntimeException asFailure(RuntimeException e, MigrationCatalog.Item item) {
        if (e instanceof StorageException s && s.kind() == ErrorKind.NOT_FOUND) {
            return StorageException.integrity(s.backend().orElse(null), BlobKey.of(item.blobKey()),
                    "the catalog holds the version there, the backend does not: " + s.getMessage());
        }
        return e;
    }

    static <T> T result(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("a migration task failed: {}", e.getCause().toString());
            return null;
        }
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("migration: {}", e.getMessage());
        }
    }
}
