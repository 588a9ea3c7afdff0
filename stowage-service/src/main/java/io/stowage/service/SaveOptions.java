package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.Metadata;
import io.stowage.StorageException;
import io.stowage.Tier;
import java.util.Map;
import java.util.Optional;

/**
 * Options of a save or a replace. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <ul>
 *   <li>{@code contentType}: the client's media type, default {@code application/octet-stream};
 *       validated as a media type.
 *   <li>{@code metadata}: portable user metadata (keys {@code [a-z][a-z0-9_]{0,63}}, at most 2 KiB),
 *       validated by {@link Metadata#validated}.
 *   <li>{@code ifMatch}: for a replace, the SHA-256 the current version must have (HTTP {@code If-Match});
 *       checked before a byte is read, {@code PRECONDITION_FAILED} when it differs.
 *   <li>{@code tier}: the tier a new file starts on (default {@link Tier#HOT}): stored through the store's tier
 *       routing where the store has tiers, else recorded as the default. A new version keeps its file's tier
 *       ({@link StorageService#setTier} moves a file).
 *   <li>{@code segment}: a short label the application groups files by ({@code avatars}, {@code invoices}):
 *       1 to 64 of {@code a-z 0-9 . _ -}, starting with a letter or digit; none by default. Files are listed
 *       and counted by it; it is the file's for life, never part of a key.
 * </ul>
 */
public final class SaveOptions {

    private static final SaveOptions DEFAULTS = builder().build();

    private final String contentType;
    private final Map<String, String> metadata;
    private final String ifMatch;
    private final Tier tier;
    private final String segment;

    private SaveOptions(Builder b) {
        this.contentType = Metadata.validContentType(b.contentType);
        this.metadata = Metadata.validated(b.metadata);
        this.ifMatch = b.ifMatch;
        this.tier = b.tier;
        this.segment = b.segment == null ? null : Names.segment(b.segment);
    }

    public static SaveOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String contentType() {
        return contentType;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The SHA-256 a replaced file's current version must have, when the caller made the replace conditional. */
    public Optional<String> ifMatch() {
        return Optional.ofNullable(ifMatch);
    }

    /** The tier asked for; empty for the default. */
    public Optional<Tier> tier() {
        return Optional.ofNullable(tier);
    }

    /** The segment asked for; empty for none. */
    public Optional<String> segment() {
        return Optional.ofNullable(segment);
    }

    /** These options with the type the service detected in place of the client's. */
    SaveOptions withContentType(String detected) {
        return builder().contentType(detected).metadata(metadata).ifMatch(ifMatch).tier(tier).segment(segment).build();
    }

    /**
     * These options with {@code extra} metadata over the caller's (what the service found in the content); the
     * caller's alone when both together would not be valid metadata (over its size limit).
     */
    SaveOptions withMetadata(Map<String, String> extra) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(metadata);
        merged.putAll(extra);
        try {
            return builder().contentType(contentType).metadata(merged).ifMatch(ifMatch).tier(tier).segment(segment).build();
        } catch (StorageException e) {
            return this;
        }
    }

    /** Refuses a replace of {@code current} whose condition does not hold. */
    void check(FileRecord current) {
        if (ifMatch != null && !ifMatch.equals(current.sha256())) {
            throw StorageException.builder(ErrorKind.PRECONDITION_FAILED).operation("replace")
                    .message("file '" + current.id() + "' has changed: its current version is not the one named").build();
        }
    }

    public static final class Builder {
        private String contentType;
        private Map<String, String> metadata = Map.of();
        private String ifMatch;
        private Tier tier;
        private String segment;

        private Builder() {
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        /** Makes a replace conditional on the current version's SHA-256 (lower-case hex); null for none. */
        public Builder ifMatch(String sha256) {
            this.ifMatch = sha256;
            return this;
        }

        /** The tier a new file starts on; null for the default. */
        public Builder tier(Tier tier) {
            this.tier = tier;
            return this;
        }

        /**
         * The segment of a new file; null for none.
         *
         * @throws io.stowage.StorageException {@code INVALID_ARGUMENT} from {@link #build()} for a malformed one
         */
        public Builder segment(String segment) {
            this.segment = segment;
            return this;
        }

        public SaveOptions build() {
            return new SaveOptions(this);
        }
    }
}
