package io.stowage.service;

import io.stowage.StorageException;
import java.util.OptionalLong;

/**
 * An owner's own limits; an empty one falls back to the service's default
 * ({@code STOWAGE_DEFAULT_QUOTA_BYTES}, {@code STOWAGE_DEFAULT_QUOTA_FILES}, {@code STOWAGE_MAX_UPLOAD_SIZE}).
 *
 * @param maxBytes bytes the owner may store, every version and the trash included
 * @param maxFiles files the owner may have, the trash included
 * @param maxUploadSize the largest version the owner may save
 */
public record Quota(OptionalLong maxBytes, OptionalLong maxFiles, OptionalLong maxUploadSize) {

    public Quota {
        positive(maxBytes, "maxBytes");
        positive(maxFiles, "maxFiles");
        positive(maxUploadSize, "maxUploadSize");
    }

    /** No limits of the owner's own: the defaults apply. */
    public static Quota defaults() {
        return new Quota(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    public Quota withMaxBytes(long bytes) {
        return new Quota(OptionalLong.of(bytes), maxFiles, maxUploadSize);
    }

    public Quota withMaxFiles(long files) {
        return new Quota(maxBytes, OptionalLong.of(files), maxUploadSize);
    }

    public Quota withMaxUploadSize(long bytes) {
        return new Quota(maxBytes, maxFiles, OptionalLong.of(bytes));
    }

    private static void positive(OptionalLong value, String name) {
        if (value.isPresent() && value.getAsLong() < 0) {
            throw StorageException.invalidArgument(name + " must be >= 0, was " + value.getAsLong());
        }
    }
}
