package io.stowage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend knows about one stored object. Immutable; build with {@link #builder(BlobKey)}.
 *
 * <ul>
 *   <li>{@link #backend()} names the backend that holds the object, so a composite (failover,
 *       mirror) can tell the caller where a write really went.
 *   <li>{@link #versionId()} is opaque: compare it for equality, never parse it.
 *   <li>{@link #sha256()} is the lower-case hex SHA-256 of the whole content, present for every object
 *       Stowage wrote and absent where the backend cannot tell.
 *   <li>{@link #etag()} is the backend's entity tag, usable with {@link GetOptions#ifMatch}.
 * </ul>
 */
public final class BlobInfo {

    private final BlobKey key;
    private final long size;
    private final String contentType;
    private final Map<String, String> metadata;
    private final Instant created;
    private final Instant modified;
    private final String versionId;
    private final String sha256;
    private final String etag;
    private final Tier tier;
    private final String storageClass;
    private final String backend;

    private BlobInfo(Builder b) {
        this.key = Objects.requireNonNull(b.key, "key");
        if (b.size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
        this.size = b.size;
        this.contentType = b.contentType == null ? Metadata.DEFAULT_CONTENT_TYPE : b.contentType;
        this.metadata = b.metadata == null ? Map.of() : Map.copyOf(b.metadata);
        this.modified = b.modified == null ? Instant.EPOCH : b.modified;
        this.created = b.created == null ? this.modified : b.created;
        this.versionId = b.versionId;
        this.sha256 = b.sha256;
        this.etag = b.etag;
        this.tier = b.tier;
        this.storageClass = b.storageClass;
        this.backend = b.backend == null ? "" : b.backend;
    }

    public static Builder builder(BlobKey key) {
        return new Builder(key);
    }

    public Builder toBuilder() {
        Builder b = new Builder(key);
        b.size = size;
        b.contentType = contentType;
        b.metadata = metadata;
        b.created = created;
        b.modified = modified;
        b.versionId = versionId;
        b.sha256 = sha256;
        b.etag = etag;
        b.tier = tier;
        b.storageClass = storageClass;
        b.backend = backend;
        return b;
    }

    /** This info as reported by another backend (used by layers and composites). */
    public BlobInfo withBackend(String backend) {
        return toBuilder().backend(backend).build();
    }

    public BlobKey key() {
        return key;
    }

    public long size() {
        return size;
    }

    public String contentType() {
        return contentType;
    }

    /** Portable user metadata (see {@link Metadata}); never null, possibly empty. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public Instant created() {
        return created;
    }

    public Instant modified() {
        return modified;
    }

    public Optional<String> versionId() {
        return Optional.ofNullable(versionId);
    }

    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    public Optional<String> etag() {
        return Optional.ofNullable(etag);
    }

    public Optional<Tier> tier() {
        return Optional.ofNullable(tier);
    }

    /** The backend's native storage class ({@code GLACIER_IR}, {@code Cool}, ...), where it has them. */
    public Optional<String> storageClass() {
        return Optional.ofNullable(storageClass);
    }

    /** The name of the backend that holds this object. */
    public String backend() {
        return backend;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobInfo b && b.key.equals(key) && b.size == size && b.contentType.equals(contentType)
                && b.metadata.equals(metadata) && b.created.equals(created) && b.modified.equals(modified)
                && Objects.equals(b.versionId, versionId) && Objects.equals(b.sha256, sha256)
                && Objects.equals(b.etag, etag) && b.tier == tier && Objects.equals(b.storageClass, storageClass)
                && b.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, size, contentType, metadata, modified, versionId, sha256, backend);
    }

    @Override
    public String toString() {
        return "BlobInfo[" + key + ", " + size + " bytes, " + contentType + ", modified " + modified
                + (versionId == null ? "" : ", version " + versionId)
                + (sha256 == null ? "" : ", sha256 " + sha256)
                + (tier == null ? "" : ", " + tier)
                + ", backend " + backend + "]";
    }

    public static final class Builder {
        private BlobKey key;
        private long size;
        private String contentType;
        private Map<String, String> metadata;
        private Instant created;
        private Instant modified;
        private String versionId;
        private String sha256;
        private String etag;
        private Tier tier;
        private String storageClass;
        private String backend;

        private Builder(BlobKey key) {
            this.key = key;
        }

        public Builder key(BlobKey key) {
            this.key = key;
            return this;
        }

        public Builder size(long size) {
            this.size = size;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        public Builder modified(Instant modified) {
            this.modified = modified;
            return this;
        }

        public Builder versionId(String versionId) {
            this.versionId = versionId;
            return this;
        }

        public Builder sha256(String sha256) {
            this.sha256 = sha256;
            return this;
        }

        public Builder etag(String etag) {
            this.etag = etag;
            return this;
        }

        public Builder tier(Tier tier) {
            this.tier = tier;
            return this;
        }

        public Builder storageClass(String storageClass) {
            this.storageClass = storageClass;
            return this;
        }

        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        public BlobInfo build() {
            return new BlobInfo(this);
        }
    }
}
