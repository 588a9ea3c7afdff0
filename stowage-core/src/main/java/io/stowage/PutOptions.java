package io.stowage;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Options of a put. Immutable; build with {@link #builder()}, or use {@link #defaults()}.
 *
 * <ul>
 *   <li>{@code contentType}: validated media type, default {@code application/octet-stream}.
 *   <li>{@code metadata}: portable user metadata, validated by {@link Metadata#validated}.
 *   <li>{@code tier}: storage tier for backends that have tiers.
 *   <li>{@code createOnly}: if-none-match {@code *}: fail with {@link ErrorKind#ALREADY_EXISTS} when the
 *       key exists (backends without conditional writes fail with {@link ErrorKind#UNSUPPORTED}).
 *   <li>{@code expectedSha256}: the put fails with {@link ErrorKind#INTEGRITY} and commits nothing when
 *       the content's SHA-256 differs.
 * </ul>
 */
public final class PutOptions {

    private static final PutOptions DEFAULTS = builder().build();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final String contentType;
    private final Map<String, String> metadata;
    private final Tier tier;
    private final boolean createOnly;
    private final String expectedSha256;

    private PutOptions(Builder b) {
        this.contentType = Metadata.validContentType(b.contentType);
        this.metadata = Metadata.validated(b.metadata);
        this.tier = b.tier;
        this.createOnly = b.createOnly;
        if (b.expectedSha256 != null) {
            String hex = b.expectedSha256.toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(hex).matches()) {
                throw StorageException.invalidArgument("expected SHA-256 must be 64 hex characters");
            }
            this.expectedSha256 = hex;
        } else {
            this.expectedSha256 = null;
        }
    }

    public static PutOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().contentType(contentType).metadata(metadata).tier(tier).createOnly(createOnly)
                .expectedSha256(expectedSha256);
    }

    public String contentType() {
        return contentType;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Optional<Tier> tier() {
        return Optional.ofNullable(tier);
    }

    public boolean createOnly() {
        return createOnly;
    }

    public Optional<String> expectedSha256() {
        return Optional.ofNullable(expectedSha256);
    }

    public static final class Builder {
        private String contentType;
        private Map<String, String> metadata = Map.of();
        private Tier tier;
        private boolean createOnly;
        private String expectedSha256;

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder tier(Tier tier) {
            this.tier = tier;
            return this;
        }

        public Builder createOnly(boolean createOnly) {
            this.createOnly = createOnly;
            return this;
        }

        public Builder expectedSha256(String expectedSha256) {
            this.expectedSha256 = expectedSha256;
            return this;
        }

        public PutOptions build() {
            return new PutOptions(this);
        }
    }
}
