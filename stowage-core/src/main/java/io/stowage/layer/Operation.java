package io.stowage.layer;

/** The operations of {@link io.stowage.BlobStore} as layers name them in metrics, logs and errors. */
public enum Operation {
    PUT, GET, STAT, EXISTS, DELETE, LIST, COPY, HEALTH;

    /** The lower-case name used in metric tags, log lines and {@link io.stowage.StorageException#operation()}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the operation changes the store. */
    public boolean writes() {
        return this == PUT || this == DELETE || this == COPY;
    }
}
