package io.stowage.layer;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.Lifecycle;
import io.stowage.MetadataEditor;
import io.stowage.PartUploads;
import io.stowage.Presigner;
import io.stowage.SoftDelete;
import io.stowage.Tiered;
import io.stowage.Versioned;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The optional features a layer hands out, seen through that layer (decision 0014, 0021): a backend's
 * {@link Tiered}, {@link Versioned}, {@link MetadataEditor}, {@link SoftDelete}, {@link Lifecycle} and
 * {@link Presigner} and {@link PartUploads} go through what the layer does to the store's own calls, so they are bounded,
 * retried, guarded by the circuit, logged and counted like any other call. Without this the feature a
 * layer hands out would be the raw backend's, and a call against a stalled backend would hang its caller.
 * A feature type this class does not know passes as it is.
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

    /** {@code feature} as a layer offers it, with {@code reads} around the reads it opens. */
    static <T> Optional<T> wrap(Class<T> type, Optional<T> feature, Around around, Reads reads) {
        return feature.map(f -> type.cast(wrapped(type, f, around, reads)));
    }

    private static Object wrapped(Class<?> type, Object f, Around around, Reads reads) {
        if (type == Tiered.class) {
            return new LayeredTiered((Tiered) f, around);
        }
        if (type == Versioned.class) {
            return new LayeredVersioned((Versioned) f, around, reads);
        }
        if (type == MetadataEditor.class) {
            return new LayeredMetadataEditor((MetadataEditor) f, around);
        }
        if (type == SoftDelete.class) {
            return new LayeredSoftDelete((SoftDelete) f, around);
        }
        if (type == Lifecycle.class) {
            return new LayeredLifecycle((Lifecycle) f, around);
        }
        if (type == Presigner.class) {
            return new LayeredPresigner((Presigner) f, around);
        }
        if (type == PartUploads.class) {
            return new LayeredPartUploads((PartUploads) f, around);
        }
        return f;
    }
}
