package io.stowage.layer;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.util.Map;
import java.util.Optional;

/**
 * A namespace inside a backend: key {@code k} is stored as {@code prefix + k}, and the caller sees only
 * keys under the prefix, without it. Listing and copy are mapped too, and so are the features whose
 * calls each name one key ({@link PrefixedFeatures}: tiers, versions, metadata edits, presigned URLs);
 * the trash and lifecycle rules act on the whole bucket, so they are not offered through the namespace
 * and the capabilities say so.
 */
public final class PrefixLayer extends ForwardingBlobStore {

    private final String prefix;
    private final Capabilities capabilities;
    private final PrefixedFeatures features;

    /** @param prefix a key prefix ending with {@code /}, e.g. {@code tenant-a/} */
    public PrefixLayer(BlobStore delegate, String prefix) {
        super(delegate);
        if (prefix.isEmpty() || !prefix.endsWith("/")) {
            throw StorageException.config("prefix must end with '/', was '" + prefix + "'");
        }
        BlobKey.of(prefix.substring(0, prefix.length() - 1));
        this.prefix = prefix;
        this.capabilities = delegate.capabilities().withOverrides(Map.of("soft_delete", false, "lifecycle", false));
        this.features = new PrefixedFeatures(this::in, this::out);
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    private BlobKey in(BlobKey key) {
        int room = BlobKey.MAX_BYTES - prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (key.utf8Length() > room) {
            throw StorageException.invalidKey(key.value(), "key is " + key.utf8Length()
                    + " bytes of UTF-8; under the namespace '" + prefix + "' keys have at most " + room);
        }
        return BlobKey.of(prefix + key.value());
    }

    private BlobInfo out(BlobInfo info) {
        return info.toBuilder().key(BlobKey.of(info.key().value().substring(prefix.length()))).build();
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        return out(delegate().put(in(key), content, options));
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        BlobRead read = delegate().get(in(key), options);
        return read.withInfo(out(read.info()));
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return out(delegate().stat(in(key)));
    }

    @Override
    public boolean exists(BlobKey key) {
        return delegate().exists(in(key));
    }

    @Override
    public boolean delete(BlobKey key) {
        return delegate().delete(in(key));
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        Page<BlobInfo> page = delegate().list(new ListRequest(prefix + request.prefix(), request.delimiter(),
                request.cursor(), request.limit()));
        return new Page<>(page.items().stream().map(this::out).toList(),
                page.commonPrefixes().stream().map(p -> p.substring(prefix.length())).toList(), page.nextCursor());
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return out(delegate().copy(in(source), in(target)));
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return capabilities.offers(type) ? features.wrap(type, delegate().feature(type)) : Optional.empty();
    }
}
