package io.stowage.service;

import io.stowage.BlobContent;
import java.util.Objects;

/**
 * One file of a {@link StorageService#saveBatch}: what {@link StorageService#save} takes besides the owner.
 *
 * @param name the file's name
 * @param content its bytes
 * @param options its type hint and metadata
 */
public record BatchItem(String name, BlobContent content, SaveOptions options) {

    public BatchItem {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(options, "options");
    }

    public static BatchItem of(String name, BlobContent content) {
        return new BatchItem(name, content, SaveOptions.defaults());
    }
}
