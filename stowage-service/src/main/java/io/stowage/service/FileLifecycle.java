package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A file's life after its save: new versions, restoring an earlier version, the trash, purging; {@link StorageService}
 * documents each call, and its retention purges through here too.
 */
final class FileLifecycle {

    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final Uploads uploads;
    private final EventOutbox events;
    private final AuditLog audit;
    private final Guards guards;
    private final Clock clock;

    FileLifecycle(CatalogDatabase catalog, FileCatalog files, Uploads uploads, EventOutbox events, AuditLog audit,
                  Guards guards, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.uploads = uploads;
        this.events = events;
        this.audit = audit;
        this.guards = guards;
        this.clock = clock;
    }

    FileRecord replace(String owner, String fileId, io.stowage.BlobContent content, SaveOptions options) {
        Names.owner(owner);
        if (!Ids.wellFormed(fileId)) {
            throw Guards.fileNotFound(fileId);
        }
        return guards.changing(owner, "file.replace", fileId, () -> {
            java.util.function.Function<org.jdbi.v3.core.Handle, FileCatalog.Entry> exists = h -> {
                FileCatalog.Entry current = guards.existing(h, owner, fileId);
                options.check(current.record());
                return current;
            };
            catalog.withHandle("replace", exists::apply); // before detection reads the first bytes; again when reserving
            uploads.saveVersion(owner, fileId, content, options, exists);
            return catalog.withHandle("info", h -> guards.existing(h, owner, fileId)).record();
        });
    }

    java.util.List<VersionRecord> versions(String owner, String fileId) {
        Names.owner(owner);
        return catalog.withHandle("versions", h -> {
            guards.existing(h, owner, fileId);
            return files.versions(h, fileId);
        });
    }

    FileRecord copyVersion(String owner, String fileId, String versionId) {
        record Source(VersionRecord version, String key) {
        }
        Source source = catalog.withHandle("restore", h -> {
            guards.existing(h, owner, fileId);
            VersionRecord version = files.versions(h, fileId).stream().filter(v -> v.id().equals(versionId))
                    .findFirst().orElseThrow(() -> StorageException.notFound(null, "file '" + fileId
                            + "' has no version '" + (Ids.wellFormed(versionId) ? versionId : "?") + "'"));
            String key = files.storedVersions(h, fileId).stream().filter(v -> v.id().equals(versionId))
                    .findFirst().orElseThrow().blobKey();
            return new Source(version, key);
        });
        if (!source.version().current()) {
            uploads.copyVersion(owner, fileId, BlobKey.of(source.key()), source.version().size(),
                    SaveOptions.builder().contentType(source.version().contentType())
                            .metadata(source.version().metadata()).build(),
                    h -> guards.existing(h, owner, fileId));
        }
        return catalog.withHandle("info", h -> guards.existing(h, owner, fileId)).record();
    }

    void purge(String owner, String fileId) {
        Instant now = clock.instant();
        boolean marked = Ids.wellFormed(fileId) && catalog.inTransaction("purge", h ->
                files.changeState(h, owner, fileId, FileCatalog.ACTIVE, FileCatalog.PURGING, now)
                        || files.changeState(h, owner, fileId, FileCatalog.TRASHED, FileCatalog.PURGING, now)
                        || files.changeState(h, owner, fileId, FileCatalog.PURGING, FileCatalog.PURGING, now));
        if (!marked) {
            throw Guards.fileNotFound(fileId);
        }
        for (FileCatalog.StoredVersion v : catalog.withHandle("purge", h -> files.storedVersions(h, fileId))) {
            uploads.destroy(BlobKey.of(v.blobKey()));
        }
        events.announce(catalog.inTransaction("purge", h -> {
            files.deleteFile(h, owner, fileId);
            audit.append(h, owner, "file.purge", "file:" + fileId, AuditLog.OK, clock.instant());
            return events.append(h, FileEvent.PURGED, owner, fileId, java.util.Map.of(), clock.instant());
        }));
    }

    void changeState(String owner, String fileId, String from, String to, String event, String action) {
        Names.owner(owner);
        guards.changing(owner, action, fileId, () -> {
            Instant now = clock.instant();
            Optional<FileEvent> changed = Ids.wellFormed(fileId) ? catalog.inTransaction(event, h -> {
                if (!files.changeState(h, owner, fileId, from, to, now)) {
                    return Optional.<FileEvent>empty();
                }
                audit.append(h, owner, action, "file:" + fileId, AuditLog.OK, now);
                return Optional.of(events.append(h, event, owner, fileId, java.util.Map.of(), now));
            }) : Optional.empty();
            events.announce(changed.orElseThrow(() -> Guards.fileNotFound(fileId)));
            return null;
        });
    }
}
