package io.stowage.gcs;

import com.google.cloud.BaseServiceException;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.spi.Failures;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Translates what the GCS SDK throws into {@link StorageException}s at the module's boundary: no SDK
 * type leaves it. Messages name the backend, the operation, the key and, for refused credentials, the
 * setting to check (never a secret).
 */
final class GcsErrors {

    private final GcsBlobStoreConfig config;

    GcsErrors(GcsBlobStoreConfig config) {
        this.config = config;
    }

    StorageException translate(Throwable e, String operation, BlobKey key) {
        if (e instanceof StorageException se) {
            return se;
        }
        StorageException nested = Failures.find(e, StorageException.class);
        if (nested != null) {
            return nested;
        }
        BaseServiceException service = Failures.find(e, BaseServiceException.class);
        if (service != null && service.getCode() > 0) {
            return fromService(service, operation, key);
        }
        boolean timedOut = Failures.find(e, SocketTimeoutException.class) != null || Failures.find(e, TimeoutException.class) != null;
        IOException io = Failures.find(e, IOException.class);
        if (io != null && fromTokenRequest(e)) {
            // The storage endpoint was never asked: naming it would send the reader to the wrong place.
            return StorageException.builder(timedOut ? ErrorKind.TIMEOUT : ErrorKind.UNAVAILABLE).backend(config.name())
                    .operation(operation).key(key == null ? null : key.value()).cause(e)
                    .message("backend '" + config.name() + "' could not get an access token for " + operation
                            + ": the token endpoint of " + config.credentialsForMessages() + (timedOut
                            ? " did not answer in time" : " is unreachable") + ": " + io.getClass().getSimpleName() + " "
                            + Failures.oneLine(io.getMessage())).build();
        }
        return Failures.withoutAnswer(e, timedOut, config.name(), config.where(), config.requestTimeout(), operation,
                key);
    }

    private StorageException fromService(BaseServiceException e, String operation, BlobKey key) {
        int status = e.getCode();
        String reason = e.getReason() == null ? "" : e.getReason();
        String keyText = key == null ? null : key.value();
        String where = key == null ? "bucket '" + config.bucket() + "'" : "'" + key + "'";
        StorageException.Builder b;
        String message;
        switch (status) {
            case 404 -> {
                b = StorageException.builder(ErrorKind.NOT_FOUND);
                message = (key == null ? where : "object " + where) + " not found in backend '" + config.name() + "'";
            }
            case 401, 403 -> {
                b = StorageException.builder(ErrorKind.PERMISSION_DENIED);
                message = "backend '" + config.name() + "' was refused " + operation + " of " + where + " (" + status
                        + (reason.isEmpty() ? "" : " " + reason) + "): check " + config.credentialsForMessages()
                        + " and its access to bucket '" + config.bucket() + "'";
            }
            case 409 -> {
                // GCS answers 409 when a bucket name is taken (by this project or another).
                b = StorageException.builder(ErrorKind.ALREADY_EXISTS);
                message = where + " already exists (" + operation + " in backend '" + config.name() + "')";
            }
            case 304 -> {
                b = StorageException.builder(ErrorKind.NOT_MODIFIED);
                message = where + " in backend '" + config.name() + "' is not modified";
            }
            case 412 -> {
                b = StorageException.builder(ErrorKind.PRECONDITION_FAILED);
                message = "a condition of " + operation + " on " + where + " does not hold in backend '" + config.name()
                        + "' (the object's generation differs)";
            }
            case 416 -> {
                b = StorageException.builder(ErrorKind.RANGE_NOT_SATISFIABLE);
                message = "the range asked of " + where + " is not satisfiable";
            }
            case 429 -> {
                b = StorageException.builder(ErrorKind.RATE_LIMITED);
                message = "backend '" + config.name() + "' is throttling " + operation + " (" + status + ")";
            }
            case 408 -> {
                b = StorageException.builder(ErrorKind.TIMEOUT);
                message = "backend '" + config.name() + "' timed out " + operation + " of " + where;
            }
            case 400 -> {
                b = StorageException.builder(ErrorKind.INVALID_ARGUMENT);
                message = "backend '" + config.name() + "' refused " + operation + " of " + where + " as invalid ("
                        + Failures.oneLine(e.getMessage()) + ")";
            }
            default -> {
                if (status >= 500) {
                    b = StorageException.builder(ErrorKind.UNAVAILABLE);
                    message = "backend '" + config.name() + "' failed " + operation + " of " + where + " with " + status
                            + " (" + config.where() + ")";
                } else {
                    b = StorageException.builder(ErrorKind.INTERNAL);
                    message = "backend '" + config.name() + "' answered " + operation + " of " + where + " with "
                            + status + " " + Failures.oneLine(e.getMessage());
                }
            }
        }
        return b.backend(config.name()).operation(operation).key(keyText).cause(e).message(message).build();
    }

    /**
     * Whether a failure without an answer happened while the auth library fetched an access token (before
     * any request to the storage endpoint): a frame of {@code com.google.auth.oauth2} anywhere in its
     * causes' stacks.
     */
    static boolean fromTokenRequest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("com.google.auth.oauth2.")) {
                    return true;
                }
            }
        }
        return false;
    }
}
