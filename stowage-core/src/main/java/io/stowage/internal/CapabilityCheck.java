package io.stowage.internal;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.MeasuringInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one capability check (decision 0020), in front of every backend the registry opens
 * ({@link io.stowage.internal.BlobStoreProviders#open}): a backend declares its capabilities and hands out its
 * features, and this store refuses what the capabilities, the backend's own or as configuration lowered
 * them ({@code capabilities: {conditional_put: false}}, DESIGN §2), turn off. Operations that need a
 * capability that is off fail with {@code UNSUPPORTED} naming the backend and the operation; features
 * whose capability is off are not offered ({@link Capabilities#offers}); copies without server-side copy
 * are streamed through; content over {@code max_object_size} fails with {@code TOO_LARGE} before the
 * backend commits it.
 */
public final class CapabilityCheck extends ForwardingBlobStore {

    private final Capabilities capabilities;

    /** {@code delegate} checked against its own capabilities. */
    public CapabilityCheck(BlobStore delegate) {
        this(delegate, delegate.capabilities());
    }

    /** {@code delegate} checked against {@code capabilities} (its own, lowered by configuration). */
    public CapabilityCheck(BlobStore delegate, Capabilities capabilities) {
        super(delegate);
        this.capabilities = capabilities;
    }

    /**
     * {@code delegate} checked against its capabilities with {@code overrides} applied
     * ({@link Capabilities#withOverrides}).
     *
     * @throws StorageException {@code CONFIG} naming an unknown capability or a bad value
     */
    public static CapabilityCheck of(BlobStore delegate, Map<String, ?> overrides) {
        return new CapabilityCheck(delegate, delegate.capabilities().withOverrides(overrides));
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        if (options.createOnly() && !capabilities.conditionalPut()) {
            throw StorageException.unsupported(name(), "conditional put (create only)");
        }
        if (content.length().isEmpty() && !capabilities.unknownLengthPut()) {
            throw StorageException.unsupported(name(), "put of unknown-length content");
        }
        if (options.tier().isPresent() && !capabilities.tiers()) {
            throw StorageException.unsupported(name(), "tiers");
        }
        long max = capabilities.maxObjectSize();
        if (max == Long.MAX_VALUE || max >= delegate().capabilities().maxObjectSize()) {
            return super.put(key, content, options);
        }
        return super.put(key, limited(content, max, key), options);
    }

    private BlobContent limited(BlobContent content, long max, BlobKey key) {
        OptionalLong length = content.length();
        if (length.isPresent() && length.getAsLong() > max) {
            throw StorageException.tooLarge(name(), key, max);
        }
        return new BlobContent() {
            @Override
            public OptionalLong length() {
                return length;
            }

            @Override
            public boolean replayable() {
                return content.replayable();
            }

            @Override
            public InputStream open() throws IOException {
                return new MeasuringInputStream(content.open(), OptionalLong.empty(), max, name(), key);
            }
        };
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        if (options.range().isPresent() && !capabilities.rangeRead()) {
            throw StorageException.unsupported(name(), "range read");
        }
        return super.get(key, options);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        if (capabilities.serverSideCopy()) {
            return super.copy(source, target);
        }
        try (BlobRead read = super.get(source, GetOptions.defaults())) {
            BlobInfo info = read.info();
            return super.put(target, BlobContent.of(read.stream(), info.size()),
                    PutOptions.builder().contentType(info.contentType()).metadata(info.metadata()).build());
        } catch (UncheckedIOException e) {
            throw StorageException.internal(name(), "copy", "copy failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return capabilities.offers(type) ? super.feature(type) : Optional.empty();
    }
}
