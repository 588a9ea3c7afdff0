package io.stowage;

/**
 * What went wrong, independent of the backend that reported it. The server maps each kind to one
 * HTTP status in one place; callers branch on the kind, never on message text.
 */
public enum ErrorKind {
    NOT_FOUND(false),
    ALREADY_EXISTS(false),
    INVALID_KEY(false),
    INVALID_ARGUMENT(false),
    /** A conditional operation (if-match, create-only, expected checksum on a precondition) failed. */
    PRECONDITION_FAILED(false),
    /** A conditional read (if-none-match) found the caller's copy current: HTTP 304. */
    NOT_MODIFIED(false),
    /** The requested byte range starts beyond the object: HTTP 416. */
    RANGE_NOT_SATISFIABLE(false),
    PERMISSION_DENIED(false),
    QUOTA_EXCEEDED(false),
    TOO_LARGE(false),
    UNSUPPORTED_MEDIA_TYPE(false),
    /** The backend (or its configuration) cannot perform this operation. */
    UNSUPPORTED(false),
    UNAVAILABLE(true),
    TIMEOUT(true),
    RATE_LIMITED(true),
    /** Content did not match its checksum or declared length. */
    INTEGRITY(false),
    CONFIG(false),
    INTERNAL(false);

    private final boolean retryableByDefault;

    ErrorKind(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    /** Whether an error of this kind is worth retrying unless the reporter says otherwise. */
    public boolean retryableByDefault() {
        return retryableByDefault;
    }

    /**
     * Whether an error of this kind says the backend is away (unreachable, too slow, throttling) rather
     * than answering: {@code UNAVAILABLE}, {@code TIMEOUT}, {@code RATE_LIMITED}. A failover composite
     * passes such a failure on to its fallbacks and health calls the backend down; any other failure is
     * the backend's answer, which no other store may override (decisions 0008, 0014).
     */
    public boolean outage() {
        return this == UNAVAILABLE || this == TIMEOUT || this == RATE_LIMITED;
    }
}
