package io.stowage;

import java.util.Optional;

/**
 * Options of a get. Immutable; build with {@link #builder()} or the shortcuts.
 *
 * <ul>
 *   <li>{@code range}: only these bytes (see {@link ByteRange#resolve} for the rules).
 *   <li>{@code ifMatch}: fail with {@link ErrorKind#PRECONDITION_FAILED} unless the object's
 *       {@link BlobInfo#etag()} equals this value.
 *   <li>{@code ifNoneMatch}: fail with {@link ErrorKind#NOT_MODIFIED} when the etag equals this value.
 *   <li>{@code verify}: compute the SHA-256 while streaming and fail the last read with
 *       {@link ErrorKind#INTEGRITY} when it differs from the stored one (whole-object reads only).
 * </ul>
 */
public final class GetOptions {

    private static final GetOptions DEFAULTS = builder().build();

    private final ByteRange range;
    private final String ifMatch;
    private final String ifNoneMatch;
    private final boolean verify;

    private GetOptions(Builder b) {
        this.range = b.range;
        this.ifMatch = b.ifMatch;
        this.ifNoneMatch = b.ifNoneMatch;
        this.verify = b.verify;
        if (verify && range != null) {
            throw StorageException.invalidArgument("verify needs the whole object; it cannot be combined with a range");
        }
    }

    public static GetOptions defaults() {
        return DEFAULTS;
    }

    public static GetOptions range(ByteRange range) {
        return builder().range(range).build();
    }

    public static GetOptions verified() {
        return builder().verify(true).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<ByteRange> range() {
        return Optional.ofNullable(range);
    }

    public Optional<String> ifMatch() {
        return Optional.ofNullable(ifMatch);
    }

    public Optional<String> ifNoneMatch() {
        return Optional.ofNullable(ifNoneMatch);
    }

    public boolean verify() {
        return verify;
    }

    /**
     * Applies if-match and if-none-match to an object whose entity tag is {@code etag}; for backends
     * that evaluate conditions themselves rather than sending them to a server.
     *
     * @throws StorageException {@code PRECONDITION_FAILED} when if-match differs, {@code NOT_MODIFIED}
     *     when if-none-match equals
     */
    public void checkConditions(String etag, String backend, BlobKey key) {
        if (ifMatch != null && !ifMatch.equals(etag)) {
            throw StorageException.preconditionFailed(backend, key, "etag does not match");
        }
        if (ifNoneMatch != null && ifNoneMatch.equals(etag)) {
            throw StorageException.notModified(backend, key);
        }
    }

    public static final class Builder {
        private ByteRange range;
        private String ifMatch;
        private String ifNoneMatch;
        private boolean verify;

        public Builder range(ByteRange range) {
            this.range = range;
            return this;
        }

        public Builder ifMatch(String etag) {
            this.ifMatch = etag;
            return this;
        }

        public Builder ifNoneMatch(String etag) {
            this.ifNoneMatch = etag;
            return this;
        }

        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        public GetOptions build() {
            return new GetOptions(this);
        }
    }
}
