package io.stowage;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BlobStore} that hands every call to another one: the base of layers and wrappers (read-only,
 * prefix, the capability check, ...). Override what the layer changes; the rest passes through, features
 * included. A layer that does the same thing around every call and every feature's call (timeout, retry,
 * metrics, ...) extends {@link io.stowage.layer.ForwardingLayer} instead.
 */
public abstract class ForwardingBlobStore implements BlobStore {

    private final BlobStore delegate;

    protected ForwardingBlobStore(BlobStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store this layer wraps. */
    public BlobStore delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        return delegate.put(key, content, options);
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        return delegate.get(key, options);
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return delegate.stat(key);
    }

    @Override
    public boolean exists(BlobKey key) {
        return delegate.exists(key);
    }

    @Override
    public boolean delete(BlobKey key) {
        return delegate.delete(key);
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        return delegate.list(request);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return delegate.copy(source, target);
    }

    @Override
    public HealthReport health() {
        return delegate.health();
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return delegate.feature(type);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
