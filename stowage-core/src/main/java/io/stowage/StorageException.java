package io.stowage;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception of Stowage. Every failure a caller can see is a {@code StorageException} with a
 * {@link #kind()}; vendor exceptions are translated at the backend boundary and kept as the cause.
 * Messages never contain secrets.
 *
 * <p>Build instances through the named factories ({@link #notFound}, {@link #unsupported}, ...) or
 * {@link #builder(ErrorKind)} for the rare case no factory fits.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String backend;
    private final String operation;
    private final String key;
    private final boolean retryable;

    protected StorageException(Builder b) {
        super(b.message(), b.cause);
        this.kind = b.kind;
        this.backend = b.backend;
        this.operation = b.operation;
        this.key = b.key;
        this.retryable = b.retryable == null ? b.kind.retryableByDefault() : b.retryable;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The name of the backend that reported the error, when one did. */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    /** The operation that failed ({@code put}, {@code get}, {@code list}, ...), when known. */
    public Optional<String> operation() {
        return Optional.ofNullable(operation);
    }

    /** The key the operation was about, when there was one. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** Whether repeating the same operation may succeed (transient unavailability, timeouts, throttling). */
    public boolean retryable() {
        return retryable;
    }

    /** The message without the kind prefix, as a person would read it. */
    public String reason() {
        String m = getMessage();
        String prefix = kind.name() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    // ---- named factories -------------------------------------------------------------------

    public static StorageException notFound(String backend, BlobKey key) {
        return builder(ErrorKind.NOT_FOUND).backend(backend).key(key)
                .message("no blob '" + key + "'" + inBackend(backend)).build();
    }

    public static StorageException notFound(String backend, String what) {
        return builder(ErrorKind.NOT_FOUND).backend(backend).message(what).build();
    }

    public static StorageException alreadyExists(String backend, BlobKey key) {
        return builder(ErrorKind.ALREADY_EXISTS).backend(backend).key(key)
                .message("blob '" + key + "' already exists" + inBackend(backend)).build();
    }

    public static StorageException invalidKey(String key, String reason) {
        return builder(ErrorKind.INVALID_KEY).key(printable(key))
                .message("invalid key '" + printable(key) + "': " + reason).build();
    }

    public static StorageException invalidArgument(String message) {
        return builder(ErrorKind.INVALID_ARGUMENT).message(message).build();
    }

    public static StorageException preconditionFailed(String backend, BlobKey key, String reason) {
        return builder(ErrorKind.PRECONDITION_FAILED).backend(backend).key(key)
                .message(key == null ? "precondition failed: " + reason
                        : "precondition failed for '" + key + "'" + inBackend(backend) + ": " + reason).build();
    }

    public static StorageException notModified(String backend, BlobKey key) {
        return builder(ErrorKind.NOT_MODIFIED).backend(backend).key(key)
                .message("blob '" + key + "' is not modified").build();
    }

    public static StorageException rangeNotSatisfiable(String backend, BlobKey key, ByteRange range, long size) {
        return builder(ErrorKind.RANGE_NOT_SATISFIABLE).backend(backend).key(key)
                .message("range " + range + " is not satisfiable for '" + key + "' of " + size + " bytes").build();
    }

    public static StorageException permissionDenied(String backend, String operation, String reason) {
        return builder(ErrorKind.PERMISSION_DENIED).backend(backend).operation(operation)
                .message(reason).build();
    }

    public static StorageException tooLarge(String backend, BlobKey key, long limit) {
        return builder(ErrorKind.TOO_LARGE).backend(backend).key(key)
                .message("content for '" + key + "' is larger than the limit of " + limit + " bytes").build();
    }

    /** The backend (or its configured capabilities) cannot perform {@code operation}. */
    public static StorageException unsupported(String backend, String operation) {
        return builder(ErrorKind.UNSUPPORTED).backend(backend).operation(operation)
                .message("backend '" + backend + "' does not support " + operation).build();
    }

    public static StorageException unavailable(String backend, String operation, String reason, Throwable cause) {
        return builder(ErrorKind.UNAVAILABLE).backend(backend).operation(operation).cause(cause)
                .message("backend '" + backend + "' is unavailable for " + operation + ": " + reason).build();
    }

    public static StorageException timeout(String backend, String operation, String reason) {
        return builder(ErrorKind.TIMEOUT).backend(backend).operation(operation)
                .message("backend '" + backend + "' timed out in " + operation + ": " + reason).build();
    }

    public static StorageException rateLimited(String backend, String operation, Throwable cause) {
        return builder(ErrorKind.RATE_LIMITED).backend(backend).operation(operation).cause(cause)
                .message("backend '" + backend + "' is throttling " + operation).build();
    }

    /** Content did not match what was expected: checksum, declared length. */
    public static StorageException integrity(String backend, BlobKey key, String reason) {
        return builder(ErrorKind.INTEGRITY).backend(backend).key(key)
                .message("integrity check failed for '" + key + "'" + inBackend(backend) + ": " + reason).build();
    }

    public static StorageException config(String message) {
        return builder(ErrorKind.CONFIG).message(message).build();
    }

    public static StorageException internal(String backend, String operation, String message, Throwable cause) {
        return builder(ErrorKind.INTERNAL).backend(backend).operation(operation).cause(cause)
                .message(message).build();
    }

    /** A local I/O failure at {@code backend}: disk full, permissions, a vanished directory. */
    public static StorageException io(String backend, String operation, BlobKey key, java.io.IOException cause) {
        ErrorKind kind = cause instanceof java.nio.file.AccessDeniedException ? ErrorKind.PERMISSION_DENIED : ErrorKind.UNAVAILABLE;
        return builder(kind).backend(backend).operation(operation).key(key).cause(cause)
                .retryable(false)
                .message(operation + (key == null ? "" : " of '" + key + "'") + inBackend(backend)
                        + " failed: " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " " + cause.getMessage()))
                .build();
    }

    public static Builder builder(ErrorKind kind) {
        return new Builder(kind);
    }

    private static String inBackend(String backend) {
        return backend == null ? "" : " in backend '" + backend + "'";
    }

    /** Keys in messages are shown with control characters escaped, so a log line stays one line. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200) + 8);
        int limit = Math.min(s.length(), 200);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (s.length() > limit) {
            out.append("...(").append(s.length()).append(" chars)");
        }
        return out.toString();
    }

    /** Builder for {@link StorageException}; the factories above cover the common cases. */
    public static final class Builder {
        private final ErrorKind kind;
        private String message;
        private String backend;
        private String operation;
        private String key;
        private Boolean retryable;
        private Throwable cause;

        private Builder(ErrorKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        public Builder key(BlobKey key) {
            this.key = key == null ? null : key.value();
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder retryable(boolean retryable) {
            this.retryable = retryable;
            return this;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        private String message() {
            return kind.name() + ": " + (message == null ? kind.name().toLowerCase().replace('_', ' ') : message);
        }

        public StorageException build() {
            return new StorageException(this);
        }
    }
}
