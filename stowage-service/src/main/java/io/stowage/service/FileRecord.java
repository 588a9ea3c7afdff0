package io.stowage.service;

import java.time.Instant;
import java.util.Map;

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
 */
public record FileRecord(String id, String owner, String name, String versionId, int version, long size,
                         String sha256, String contentType, Map<String, String> metadata, Instant created,
                         Instant updated, String backend) {

    public FileRecord {
        metadata = Map.copyOf(metadata);
    }

    /** The last segment of the name, safe to show and to offer as a download name. */
    public String displayName() {
        return Names.display(name);
    }
}
