package io.stowage.service;

import java.time.Instant;
import java.util.Map;

/**
 * One stored version of a file: an immutable object of its own.
 *
 * @param id the version's id
 * @param number 1 for the first version, counting up
 * @param current whether it is the version reads return
 * @param backend the backend that took it
 */
public record VersionRecord(String id, int number, long size, String sha256, String contentType,
                            Map<String, String> metadata, Instant created, boolean current, String backend) {

    public VersionRecord {
        metadata = Map.copyOf(metadata);
    }
}
