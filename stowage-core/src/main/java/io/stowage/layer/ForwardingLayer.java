package io.stowage.layer;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The base of a layer that does the same thing around every call: it forwards each call of the store
 * and of its optional features through one hook, {@link #call}, and the stream of each read it hands out
 * (a get, a version's read) through another, {@link #stream}. A layer overrides the hooks, and a method
 * only where one call differs (a put the retry layer must not repeat, a health probe). {@link #health()}
 * passes through unless a layer overrides it.
 *
 * <p>The seven features ({@code Tiered}, {@code Versioned}, {@code MetadataEditor}, {@code SoftDelete},
 * {@code Lifecycle}, {@code Presigner}, {@code PartUploads}) are handed out through the hooks as well ({@link LayeredFeatures}),
 * each of their calls named by its own {@link Operation}.
 */
public abstract class ForwardingLayer extends ForwardingBlobStore {

    protected ForwardingLayer(BlobStore delegate) {
        super(delegate);
    }

    /**
     * What the layer does around one call of {@code op} ({@code key} is null where the call names no
     * single key); by default it just makes the call. A read's call returns the {@link BlobRead} whose
     * stream then goes through {@link #stream}.
     */
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        return call.get();
    }

    /** What the layer does to the stream of a read it opened with {@link #call}; by default nothing. */
    protected InputStream stream(Operation op, BlobKey key, InputStream stream) {
        return stream;
    }

    /** Opens a read through {@link #call}, then hands its stream to {@link #stream}. */
    protected final BlobRead read(Operation op, BlobKey key, Supplier<BlobRead> open) {
        BlobRead read = call(op, key, open);
        return read.withStream(stream(op, key, read.stream()));
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        return call(Operation.PUT, key, () -> delegate().put(key, content, options));
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return read(Operation.GET, key, () -> delegate().get(key, options));
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return call(Operation.STAT, key, () -> delegate().stat(key));
    }

    @Override
    public boolean exists(BlobKey key) {
        return call(Operation.EXISTS, key, () -> delegate().exists(key));
    }

    @Override
    public boolean delete(BlobKey key) {
        return call(Operation.DELETE, key, () -> delegate().delete(key));
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        return call(Operation.LIST, null, () -> delegate().list(request));
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return call(Operation.COPY, target, () -> delegate().copy(source, target));
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return LayeredFeatures.wrap(type, delegate().feature(type), this::call, this::read);
    }
}
