package io.stowage.service;

import io.stowage.Tier;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A file as its owner sees it, with its current version.
 *
 * @param id the file's id (stable across versions)
 * @param owner the owner's id
 * @param name the name the owner gave, cleaned (see {@link #displayName()})
 * @param versionId the current version's id
 * @param version the current version's number, 1 for the first
 * @param size the current version's size in bytes
 * @param sha256 lower-case hex SHA-256 of the current version
 * @param contentType the current version's media type
 * @param metadata the current version's user metadata
 * @param created when the file was first saved
 * @param updated when its current version was committed
 * @param backend the backend that took the current version
 * @param tier the tier every version of the file is on ({@link Tier#HOT} unless saved or moved elsewhere)
 * @param segment the segment the application saved the file in, if any
 */
public record FileRecord(String id, String owner, String name, String versionId, int version, long size,
                         String sha256, String contentType, Map<String, String> metadata, Instant created,
                         Instant updated, String backend, Tier tier, Optional<String> segment) {

    public FileRecord {
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(segment, "segment");
    }

    /** A file on the default tier, in no segment. */
    public FileRecord(String id, String owner, String name, String versionId, int version, long size, String sha256,
                      String contentType, Map<String, String> metadata, Instant created, Instant updated,
                      String backend) {
        this(id, owner, name, versionId, version, size, sha256, contentType, metadata, created, updated, backend,
                Tier.HOT, Optional.empty());
    }

    /** The last segment of the name, safe to show and to offer as a download name. */
    public String displayName() {
        return Names.display(name);
    }
}
