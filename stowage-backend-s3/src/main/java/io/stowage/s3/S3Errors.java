package io.stowage.s3;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates the SDK's exceptions into {@link StorageException}s at the backend boundary, keeping the
 * cause. Messages name the setting to check and never contain a secret.
 */
final class S3Errors {

    /** The environment names of the credentials, per type, for messages that say what to check. */
    private static final Map<String, String> CREDENTIAL_NAMES = Map.of(
            "aws_s3", "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY",
            "minio", "MINIO_ACCESS_KEY / MINIO_SECRET_KEY",
            "s3_compatible", "S3_COMPATIBLE_ACCESS_KEY / S3_COMPATIBLE_SECRET_KEY");

    private final S3BlobStoreConfig config;

    S3Errors(S3BlobStoreConfig config) {
        this.config = config;
    }

    /** The exception a caller sees for {@code e}, thrown by {@code operation} on {@code key} (may be null). */
    StorageException translate(SdkException e, String operation, BlobKey key) {
        String backend = config.name();
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? "" : String.valueOf(s.awsErrorDetails().errorCode());
            if (s.isThrottlingException() || status == 429 || code.equals("SlowDown") || code.equals("Throttling")) {
                return StorageException.rateLimited(backend, operation, e);
            }
            switch (code) {
                case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
                        "AuthorizationHeaderMalformed" -> {
                    return StorageException.builder(ErrorKind.PERMISSION_DENIED).backend(backend).operation(operation)
                            .cause(e).message("backend '" + backend + "' refused the credentials (" + code + ") in "
                                    + operation + ": check the settings access_key and secret_key ("
                                    + CREDENTIAL_NAMES.getOrDefault(config.type(), "access_key / secret_key")
                                    + "), now " + config.credentialsForMessages()).build();
                }
                case "AccessDenied", "AllAccessDisabled" -> {
                    return StorageException.builder(ErrorKind.PERMISSION_DENIED).backend(backend).operation(operation)
                            .key(key == null ? null : key.value()).cause(e)
                            .message("backend '" + backend + "' denied " + operation + " on bucket '" + config.bucket()
                                    + "' to " + config.credentialsForMessages() + ": check the bucket policy and the"
                                    + " key's permissions").build();
                }
                case "NoSuchBucket" -> {
                    return StorageException.builder(ErrorKind.NOT_FOUND).backend(backend).operation(operation).cause(e)
                            .key(key == null ? null : key.value())
                            .message("bucket '" + config.bucket() + "' of backend '" + backend + "' does not exist"
                                    + " (setting 'bucket'; 'create_bucket' creates it)").build();
                }
                case "InvalidObjectState" -> {
                    return StorageException.builder(ErrorKind.PRECONDITION_FAILED).backend(backend).operation(operation)
                            .key(key == null ? null : key.value()).cause(e)
                            .message("'" + key + "' in backend '" + backend + "' is archived and must be restored before"
                                    + " it can be read: 'stowage restore' (Tiered.restore in the library)").build();
                }
                case "NotImplemented" -> {
                    return StorageException.builder(ErrorKind.UNSUPPORTED).backend(backend).operation(operation).cause(e)
                            .message("the server behind backend '" + backend + "' does not implement " + operation)
                            .build();
                }
                default -> {
                    // fall through to the status
                }
            }
            if (status == 404) {
                return StorageException.builder(ErrorKind.NOT_FOUND).backend(backend).operation(operation).cause(e)
                        .key(key == null ? null : key.value())
                        .message(key == null ? operation + " in backend '" + backend + "': "
                                + config.endpoint().map(Object::toString).orElse("AWS S3") + " answered 404 "
                                + (code.isEmpty() || code.equals("null") ? "without an S3 error code (is setting"
                                        + " 'endpoint' an S3 service?)" : code)
                                : "no blob '" + key + "' in backend '" + backend + "'").build();
            }
            if (status == 412) {
                return StorageException.builder(ErrorKind.PRECONDITION_FAILED).backend(backend).operation(operation)
                        .key(key == null ? null : key.value()).cause(e)
                        .message("precondition failed for '" + key + "' in backend '" + backend + "': " + code).build();
            }
            if (status == 304) {
                return StorageException.builder(ErrorKind.NOT_MODIFIED).backend(backend).operation(operation)
                        .key(key == null ? null : key.value()).cause(e)
                        .message("blob '" + key + "' is not modified").build();
            }
            if (status == 403) {
                // HEAD requests carry no error code: wrong credentials and missing permissions look alike.
                return StorageException.builder(ErrorKind.PERMISSION_DENIED).backend(backend).operation(operation)
                        .cause(e).message("backend '" + backend + "' answered 403 to " + operation + ": check the settings"
                                + " access_key and secret_key (" + CREDENTIAL_NAMES.getOrDefault(config.type(),
                                        "access_key / secret_key") + "), now " + config.credentialsForMessages()
                                + ", and the permissions on bucket '" + config.bucket() + "'").build();
            }
            if (status == 501) {
                return StorageException.unsupported(backend, operation);
            }
            if (status >= 500) {
                return StorageException.unavailable(backend, operation, "the server answered " + status + " " + code, e);
            }
            // A body that does not match its signed SHA-256 (or its Content-MD5): nothing was stored.
            if (status == 400 && (code.equals("XAmzContentSHA256Mismatch") || code.equals("BadDigest"))) {
                return StorageException.builder(ErrorKind.INTEGRITY).backend(backend).operation(operation)
                        .key(key == null ? null : key.value()).cause(e).message("integrity check failed for '" + key
                                + "': backend '" + backend + "' found the content not matching its checksum (" + code
                                + ")").build();
            }
            // A part upload's completion naming parts the server does not hold, or one under its minimum.
            if (status == 400 && (code.equals("InvalidArgument") || code.equals("InvalidRequest")
                    || code.equals("InvalidPart") || code.equals("InvalidPartOrder") || code.equals("EntityTooSmall"))) {
                return StorageException.builder(ErrorKind.INVALID_ARGUMENT).backend(backend).operation(operation)
                        .cause(e).message(operation + " refused by backend '" + backend + "': " + code + " "
                                + s.awsErrorDetails().errorMessage()).build();
            }
            return StorageException.internal(backend, operation, operation + " failed in backend '" + backend
                    + "': HTTP " + status + " " + code, e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return timeout(operation, "no answer within the request_timeout of " + config.requestTimeout().toSeconds()
                    + "s", e);
        }
        if (e instanceof SdkClientException) {
            Throwable root = rootCause(e);
            if (root instanceof StorageException se) {
                // Our own content stream failed (length, checksum, limit) inside the SDK's request.
                return se;
            }
            if (root instanceof UnknownHostException || root instanceof ConnectException
                    || root instanceof NoRouteToHostException) {
                return StorageException.unavailable(backend, operation, "cannot reach "
                        + config.endpoint().map(Object::toString).orElse("AWS S3") + " (setting 'endpoint'): "
                        + root.getClass().getSimpleName(), e);
            }
            if (root instanceof SocketTimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
                return timeout(operation, "no answer from " + config.endpoint().map(Object::toString).orElse("AWS S3")
                        + " within the connect_timeout of " + config.connectTimeout().toMillis() + "ms / request_timeout of "
                        + config.requestTimeout().toSeconds() + "s", e);
            }
            if (root instanceof InterruptedIOException || root instanceof InterruptedException) {
                return StorageException.unavailable(backend, operation, "interrupted", e);
            }
            // A connection that broke (a pooled one the server closed, a reset): since the SDK no longer
            // tries a single request again on a fresh connection (decision 0015), this is often the
            // first sign of a server that went away, so name where it was.
            return StorageException.unavailable(backend, operation, String.valueOf(e.getMessage()) + " (endpoint "
                    + config.endpoint().map(Object::toString).orElse("AWS S3") + ")", e);
        }
        return StorageException.internal(backend, operation, operation + " failed in backend '" + backend + "': "
                + e.getMessage(), e);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof StorageException) {
                return t;
            }
            t = t.getCause();
        }
        return t;
    }

    private StorageException timeout(String operation, String reason, Throwable cause) {
        return StorageException.builder(ErrorKind.TIMEOUT).backend(config.name()).operation(operation).cause(cause)
                .message("backend '" + config.name() + "' timed out in " + operation + ": " + reason).build();
    }
}
