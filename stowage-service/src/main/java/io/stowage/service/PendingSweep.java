package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what crashed saves left (decision 0040): a pending version, or a new file's save in flight (decision 0101),
 * older than the grace period is a save whose process died between writing its row and committing it. Its object
 * (whole, partial or never written) is deleted first, then the row, releasing its quota reservation, and the file when
 * nothing else is left of it; so a sweep that stops half way leaves a row to find again, never an object without one.
 */
final class PendingSweep {

    private static final Logger LOG = LoggerFactory.getLogger(PendingSweep.class);

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final Uploads uploads;
    private final Clock clock;

    PendingSweep(CatalogDatabase catalog, FileCatalog files, Uploads uploads, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.uploads = uploads;
        this.clock = clock;
    }

    /**
     * Removes the versions pending, and the saves of new files in flight, for longer than {@code olderThan}. One
     * whose object the backend fails to delete stays, for the next sweep, and the others are still swept.
     *
     * @return how many pending versions and saves in flight were removed
     */
    int sweep(Duration olderThan) {
        Instant before = clock.instant().minus(olderThan);
        int removed = 0;
        for (FileCatalog.StoredVersion v : catalog.withHandle("sweep", h -> files.inFlight(h, before))) {
            if (destroyed(v)) {
                catalog.useTransaction("sweep", h -> files.removeInFlight(h, v.ownerId(), v.id()));
                removed++;
            }
        }
        for (FileCatalog.StoredVersion v : catalog.withHandle("sweep", h -> files.pendingVersions(h, before))) {
            if (destroyed(v)) {
                catalog.useTransaction("sweep", h -> files.removePending(h, v.ownerId(), v.fileId(), v.id()));
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("swept {} version(s) left pending for more than {} by saves that did not finish", removed, olderThan);
        }
        return removed;
    }

    /** Deletes an abandoned version's object; false, logged, when the backend fails to. */
    private boolean destroyed(FileCatalog.StoredVersion v) {
        try {
            uploads.destroy(BlobKey.of(v.blobKey()));
            return true;
        } catch (StorageException e) {
            LOG.warn("could not delete the object of abandoned version {} of file {}; it stays pending for the"
                    + " next sweep: {}", v.id(), v.fileId(), e.reason());
            return false;
        }
    }
}
