package io.stowage.service;

import io.stowage.Metadata;
import java.util.Map;

/**
 * Options of a save or a replace. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <ul>
 *   <li>{@code contentType}: the client's media type, default {@code application/octet-stream};
 *       validated as a media type.
 *   <li>{@code metadata}: portable user metadata (keys {@code [a-z][a-z0-9_]{0,63}}, at most 2 KiB),
 *       validated by {@link Metadata#validated}.
 * </ul>
 */
public final class SaveOptions {

    private static final SaveOptions DEFAULTS = builder().build();

    private final String contentType;
    private final Map<String, String> metadata;

    private SaveOptions(Builder b) {
        this.contentType = Metadata.validContentType(b.contentType);
        this.metadata = Metadata.validated(b.metadata);
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

    /** These options with the type the service detected in place of the client's. */
    SaveOptions withContentType(String detected) {
        return builder().contentType(detected).metadata(metadata).build();
    }

    public static final class Builder {
        private String contentType;
        private Map<String, String> metadata = Map.of();

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

        public SaveOptions build() {
            return new SaveOptions(this);
        }
    }
}
