package io.stowage.layer;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.MetadataEditor;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.Versioned;
import io.stowage.io.MeasuringInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Enforces capabilities that configuration took away from a backend (DESIGN §2): an S3-compatible
 * server without conditional writes, say. Operations that need a removed capability fail with
 * {@code UNSUPPORTED}; features whose capability is off are not offered; copies without server-side
 * copy are streamed through; content over {@code max_object_size} fails with {@code TOO_LARGE}
 * before the backend commits it.
 */
public final class ConfiguredCapabilities extends ForwardingBlobStore {

    private final Capabilities capabilities;

    public ConfiguredCapabilities(BlobStore delegate, Capabilities capabilities) {
        super(delegate);
        this.capabilities = capabilities;
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
        if ((type == Versioned.class && !capabilities.versioning())
                || (type == SoftDelete.class && !capabilities.softDelete())
                || (type == MetadataEditor.class && !capabilities.metadataUpdate())
                || (type == io.stowage.Presigner.class && !capabilities.presign())
                || (type == io.stowage.Tiered.class && !capabilities.tiers())
                || (type == io.stowage.Lifecycle.class && !capabilities.lifecycle())) {
            return Optional.empty();
        }
        return super.feature(type);
    }
}
