package io.stowage.layer;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.MetadataEditor;
import io.stowage.Tiered;
import io.stowage.Versioned;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The optional features a layer hands out, seen through that layer (decision 0014): a backend's
 * {@link Tiered}, {@link Versioned} and {@link MetadataEditor} go through what the layer does to the
 * store's own calls, so they are bounded, retried, guarded by the circuit, logged and counted like any
 * other call. Without this the feature a layer hands out is the raw backend's, and a call against a
 * stalled backend would hang its caller. Other features pass as they are.
 */
final class LayeredFeatures {

    /** What a layer does around one call. */
    interface Around {
        <T> T call(Operation op, BlobKey key, Supplier<T> call);
    }

    /** What a layer does around a call that opens a read (its stream is the caller's to read and close). */
    interface Reads {
        BlobRead open(Operation op, BlobKey key, Supplier<BlobRead> open);
    }

    private LayeredFeatures() {
    }

    /** {@code feature} as a layer offers it, reads opened as any other call. */
    static <T> Optional<T> wrap(Class<T> type, Optional<T> feature, Around around) {
        return wrap(type, feature, around, around::call);
    }

    /** {@code feature} as a layer offers it, with {@code reads} around the reads it opens. */
    static <T> Optional<T> wrap(Class<T> type, Optional<T> feature, Around around, Reads reads) {
        if (type == Tiered.class) {
            return feature.map(f -> type.cast(new LayeredTiered((Tiered) f, around)));
        }
        if (type == Versioned.class) {
            return feature.map(f -> type.cast(new LayeredVersioned((Versioned) f, around, reads)));
        }
        if (type == MetadataEditor.class) {
            return feature.map(f -> type.cast(new LayeredMetadataEditor((MetadataEditor) f, around)));
        }
        return feature;
    }
}
