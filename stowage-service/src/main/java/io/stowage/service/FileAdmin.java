package io.stowage.service;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.Metadata;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changes a file without a new version (metadata, tier), erases an owner, and counts everything;
 * {@link StorageService} documents each call.
 */
final class FileAdmin {

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final BlobStore blobs;
    private final Uploads uploads;
    private final EventOutbox events;
    private final AuditLog audit;
    private final Guards guards;
    private final Clock clock;

    FileAdmin(CatalogDatabase catalog, FileCatalog files, BlobStore blobs, Uploads uploads, EventOutbox events,
              AuditLog audit, Guards guards, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.blobs = blobs;
        this.uploads = uploads;
        this.events = events;
        this.audit = audit;
        this.guards = guards;
        this.clock = clock;
    }

    private FileRecord info(String owner, String fileId) {
        return catalog.withHandle("info", h -> guards.existing(h, owner, fileId)).record();
    }

    FileRecord setMetadata(String owner, String fileId, Map<String, String> metadata) {
        Names.owner(owner);
        Map<String, String> valid = Metadata.validated(metadata);
        return guards.changing(owner, "file.set_metadata", fileId, () -> {
            Instant now = clock.instant();
            events.announce(catalog.inTransaction("metadata", h -> {
                String version = guards.existing(h, owner, fileId).record().versionId();
                files.setMetadata(h, version, valid);
                audit.append(h, owner, "file.set_metadata", "file:" + fileId, AuditLog.OK, now);
                return events.append(h, FileEvent.UPDATED, owner, fileId, Map.of("version_id", version), now);
            }));
            return info(owner, fileId);
        });
    }

    FileRecord rename(String owner, String fileId, String name) {
        Names.owner(owner);
        return guards.changing(owner, "file.rename", fileId, () -> {
            Instant now = clock.instant();
            events.announce(catalog.inTransaction("rename", h -> {
                guards.existing(h, owner, fileId);
                files.rename(h, fileId, name, now);
                audit.append(h, owner, "file.rename", "file:" + fileId, AuditLog.OK, now);
                return events.append(h, FileEvent.UPDATED, owner, fileId, Map.of(), now);
            }));
            return info(owner, fileId);
        });
    }

    FileRecord setTier(String owner, String fileId, Tier tier) {
        Names.owner(owner);
        Objects.requireNonNull(tier, "tier");
        return guards.changing(owner, "file.set_tier", fileId, () -> {
            List<FileCatalog.StoredVersion> stored = catalog.withHandle("tier", h -> {
                guards.existing(h, owner, fileId);
                return files.storedVersions(h, fileId);
            });
            Tiered tiered = blobs.feature(Tiered.class)
                    .orElseThrow(() -> StorageException.unsupported(blobs.name(), "set tier " + tier));
            for (FileCatalog.StoredVersion v : stored) {
                if (FileCatalog.COMMITTED.equals(v.state())) {
                    BlobInfo moved = tiered.setTier(BlobKey.of(v.blobKey()), tier);
                    catalog.useTransaction("tier", h -> files.relocate(h, v.id(), moved.backend(), v.blobKey(),
                            clock.instant()));
                }
            }
            catalog.useTransaction("tier", h -> {
                files.setTier(h, fileId, tier.name(), clock.instant());
                audit.append(h, owner, "file.set_tier", "file:" + fileId, AuditLog.OK, clock.instant());
            });
            return info(owner, fileId);
        });
    }

    void eraseOwner(String owner) {
        Names.owner(owner);
        guards.changingOwner(owner, "owner.erase", () -> {
            List<String> ids = catalog.inTransaction("erase", h -> {
                // The owner's keys go first: nothing more is saved for an owner being erased, even if this fails.
                ApiKeyCatalog.revokeAllOf(h, audit, owner, clock.instant());
                return files.markOwnerPurging(h, owner, clock.instant());
            });
            for (String fileId : ids) {
                for (FileCatalog.StoredVersion v : catalog.withHandle("erase", h -> files.storedVersions(h, fileId))) {
                    uploads.destroy(BlobKey.of(v.blobKey()));
                }
            }
            for (BlobInfo left : Listings.all(blobs, owner + "/")) {
                uploads.destroy(left.key());
            }
            catalog.useTransaction("erase", h -> {
                OwnerErasure.deleteRows(h, owner);
                audit.append(h, owner, "owner.erase", "owner:" + owner, AuditLog.OK, clock.instant());
            });
            return null;
        });
    }

    ServiceStats stats() {
        return catalog.withHandle("stats", h -> {
            Map<String, Totals> owners = files.totalsByOwner(h);
            Totals total = owners.values().stream().reduce(new Totals(0, 0),
                    (a, b) -> new Totals(a.files() + b.files(), a.bytes() + b.bytes()));
            return new ServiceStats(total, owners, files.totalsByBackend(h), files.totalsByTier(h),
                    files.totalsBySegment(h));
        });
    }
}
