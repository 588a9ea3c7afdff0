package io.stowage.cli;

import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;

/** The optional features commands need (versions, trash, tiers), or {@code UNSUPPORTED} naming what is missing. */
final class Features {

    private Features() {
    }

    /**
     * {@code store.feature(type)}, or an {@code UNSUPPORTED} error for {@code operation}.
     *
     * @param lacks what the backend lacks, finishing "backend 'x' ...", e.g. "does not keep versions"
     */
    static <T> T require(BlobStore store, Class<T> type, String operation, String lacks) {
        return store.feature(type).orElseThrow(() -> StorageException.builder(ErrorKind.UNSUPPORTED)
                .backend(store.name()).operation(operation)
                .message("backend '" + store.name() + "' " + lacks).build());
    }
}
