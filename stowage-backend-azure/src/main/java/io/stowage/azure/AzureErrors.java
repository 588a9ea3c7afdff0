package io.stowage.azure;

import com.azure.storage.blob.models.BlobStorageException;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.spi.Failures;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Translates what the Azure SDK throws into {@link StorageException}s at the module's boundary: no SDK
 * type leaves it. Messages name the backend, the operation, the key and, for refused credentials, the
 * setting to check with its secret masked.
 */
final class AzureErrors {

    private final AzureBlobStoreConfig config;
    private final Runnable containerMissing;

    /** {@code containerMissing} runs when the service says the container is gone. */
    AzureErrors(AzureBlobStoreConfig config, Runnable containerMissing) {
        this.config = config;
        this.containerMissing = containerMissing;
    }

    StorageException translate(Throwable e, String operation, BlobKey key) {
        if (e instanceof StorageException se) {
            return se;
        }
        BlobStorageException service = Failures.find(e, BlobStorageException.class);
        if (service != null) {
            return fromService(service, operation, key);
        }
        boolean timedOut = Failures.find(e, TimeoutException.class) != null
                || String.valueOf(e.getMessage()).contains("Timeout on blocking read");
        return Failures.withoutAnswer(e, timedOut, config.name(), config.where(), config.requestTimeout(), operation,
                key);
    }

    private StorageException fromService(BlobStorageException e, String operation, BlobKey key) {
        int status = e.getStatusCode();
        // An error without a code (a HEAD, or an emulator's bare answer) is named by its status.
        String code = e.getErrorCode() == null || e.getErrorCode().toString().isEmpty() ? "HTTP " + e.getStatusCode()
                : e.getErrorCode().toString();
        String keyText = key == null ? null : key.value();
        String where = key == null ? "container '" + config.container() + "'" : "'" + key + "'";
        StorageException.Builder b;
        String message;
        switch (status) {
            case 404 -> {
                if (code.equals("ContainerNotFound")) {
                    containerMissing.run();
                    // Without create_container a missing container is a setting to fix, not a missing blob.
                    b = StorageException.builder(config.createContainer() ? ErrorKind.NOT_FOUND : ErrorKind.CONFIG);
                    message = "container '" + config.container() + "' of backend '" + config.name() + "' does not exist"
                            + (config.createContainer() ? "" : " and create_container (or create_bucket) is false");
                } else {
                    b = StorageException.builder(ErrorKind.NOT_FOUND);
                    message = "blob " + where + " not found in backend '" + config.name() + "'";
                }
            }
            case 401, 403 -> {
                b = StorageException.builder(ErrorKind.PERMISSION_DENIED);
                message = "backend '" + config.name() + "' refused " + operation + " (" + code + "): check "
                        + config.credentialsForMessages() + " and the endpoint " + config.where();
            }
            case 409 -> {
                if (code.equals("BlobArchived") || code.equals("BlobBeingRehydrated")) {
                    b = StorageException.builder(ErrorKind.PRECONDITION_FAILED);
                    message = where + " in backend '" + config.name() + "' is in the Archive tier and must be rehydrated"
                            + " before it can be read: 'stowage restore' (Tiered.restore in the library)";
                } else if (code.equals("ContainerBeingDeleted")) {
                    // Azure takes a while to delete a container, and refuses its name meanwhile: it passes.
                    b = StorageException.builder(ErrorKind.UNAVAILABLE);
                    message = "container '" + config.container() + "' of backend '" + config.name() + "' is still being"
                            + " deleted; it can be created again once Azure has finished (usually within a minute)";
                } else if (code.equals("BlobAlreadyExists")) {
                    b = StorageException.builder(ErrorKind.ALREADY_EXISTS);
                    message = "blob " + where + " already exists in backend '" + config.name() + "'";
                } else {
                    b = StorageException.builder(ErrorKind.PRECONDITION_FAILED);
                    message = "backend '" + config.name() + "' refused " + operation + " of " + where + ": " + code;
                }
            }
            case 304 -> {
                b = StorageException.builder(ErrorKind.NOT_MODIFIED);
                message = where + " in backend '" + config.name() + "' is not modified";
            }
            case 412 -> {
                b = StorageException.builder(ErrorKind.PRECONDITION_FAILED);
                message = "a condition of " + operation + " on " + where + " does not hold in backend '" + config.name()
                        + "' (" + code + ")";
            }
            case 416 -> {
                b = StorageException.builder(ErrorKind.RANGE_NOT_SATISFIABLE);
                message = "the range asked of " + where + " is not satisfiable";
            }
            case 429 -> {
                b = StorageException.builder(ErrorKind.RATE_LIMITED);
                message = "backend '" + config.name() + "' is throttling " + operation + " (" + code + ")";
            }
            case 400 -> {
                b = StorageException.builder(code.toLowerCase(Locale.ROOT).contains("authentication")
                        ? ErrorKind.PERMISSION_DENIED : ErrorKind.INVALID_ARGUMENT);
                message = "backend '" + config.name() + "' refused " + operation + " of " + where + " (" + code + ")";
            }
            default -> {
                if (status == 503 && code.equals("ServerBusy")) {
                    b = StorageException.builder(ErrorKind.RATE_LIMITED);
                    message = "backend '" + config.name() + "' is busy (throttling " + operation + ")";
                } else if (status >= 500) {
                    b = StorageException.builder(ErrorKind.UNAVAILABLE);
                    message = "backend '" + config.name() + "' failed " + operation + " with " + (code.startsWith("HTTP ") ? code : status + " " + code);
                } else {
                    b = StorageException.builder(ErrorKind.INTERNAL);
                    message = "backend '" + config.name() + "' answered " + operation + " with " + (code.startsWith("HTTP ") ? code : status + " " + code);
                }
            }
        }
        return b.backend(config.name()).operation(operation).key(keyText).cause(e).message(message).build();
    }
}
