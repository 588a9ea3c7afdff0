package io.stowage.spi;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.IOException;
import java.time.Duration;

/** Helpers for backends that turn an SDK's exceptions into typed errors. */
public final class Failures {

    private Failures() {
    }

    /** The first throwable of {@code type} in {@code e}'s cause chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * A failure that carries no answer of the service, as a typed error: {@code TIMEOUT} when
     * {@code timedOut} (the backend decides what its SDK's timeouts look like), {@code UNAVAILABLE} when an
     * {@link IOException} is in the cause chain, else {@code INTERNAL}. Messages name the backend, the
     * operation and {@code where} (the endpoint), never a credential.
     */
    public static StorageException withoutAnswer(Throwable e, boolean timedOut, String backend, String where,
            Duration requestTimeout, String operation, BlobKey key) {
        String keyText = key == null ? null : key.value();
        if (timedOut) {
            return StorageException.builder(ErrorKind.TIMEOUT).backend(backend).operation(operation).key(keyText)
                    .cause(e).message("backend '" + backend + "' did not answer " + operation + " in time (endpoint "
                            + where + ", request_timeout " + requestTimeout.toSeconds() + "s)").build();
        }
        IOException io = find(e, IOException.class);
        if (io != null) {
            return StorageException.builder(ErrorKind.UNAVAILABLE).backend(backend).operation(operation).key(keyText)
                    .cause(e).message("backend '" + backend + "' is unreachable for " + operation + " (endpoint "
                            + where + "): " + io.getClass().getSimpleName() + " " + oneLine(io.getMessage()))
                    .build();
        }
        return StorageException.builder(ErrorKind.INTERNAL).backend(backend).operation(operation).key(keyText)
                .cause(e).message("backend '" + backend + "' failed " + operation + ": " + oneLine(String.valueOf(e)))
                .build();
    }

    /** The first line of a (service's, often multi-line) message, at most 300 characters; "" for null. */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String first = s.lines().findFirst().orElse("");
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }
}
