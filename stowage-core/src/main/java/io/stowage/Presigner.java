package io.stowage;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Time-limited URLs that let a client read or write one object directly at the backend, obtained
 * through {@code store.feature(Presigner.class)}. A URL grants exactly what was signed: one key, one
 * method, until {@link PresignedRequest#expiresAt()}.
 */
public interface Presigner {

    /** The TTL when the caller names none. */
    Duration DEFAULT_TTL = Duration.ofHours(1);

    /** The longest TTL any backend allows (S3's SigV4 limit). */
    Duration MAX_TTL = Duration.ofDays(7);

    /** The shortest TTL: URLs expire in whole seconds. */
    Duration MIN_TTL = Duration.ofSeconds(1);

    /**
     * A URL to GET {@code key}.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when {@code ttl} is under {@link #MIN_TTL} or over {@link #MAX_TTL}
     */
    PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides);

    /**
     * A URL to PUT {@code key}; the client must send the returned headers.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when {@code ttl} is under {@link #MIN_TTL} or over {@link #MAX_TTL}
     */
    PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints);

    /** Checks a TTL against the limits; backends call this first. */
    static Duration checkTtl(Duration ttl) {
        Duration t = ttl == null ? DEFAULT_TTL : ttl;
        // URLs expire in whole seconds (S3's X-Amz-Expires, Azure's se, GCS's X-Goog-Expires): under one
        // second would be signed as zero, a URL dead on arrival.
        if (t.compareTo(MIN_TTL) < 0 || t.compareTo(MAX_TTL) > 0) {
            throw StorageException.invalidArgument("presign TTL must be between 1 second and 7 days, was " + t);
        }
        return t;
    }

    /** A signed request: the method, the URL, the headers the client must send, and when it stops working. */
    record PresignedRequest(String method, URI url, Map<String, String> headers, Instant expiresAt) {
        public PresignedRequest {
            headers = Map.copyOf(headers);
        }
    }

    /** Response headers a GET URL makes the backend send (where the backend supports overriding them). */
    record GetOverrides(Optional<String> contentType, Optional<String> contentDisposition) {
        public static GetOverrides none() {
            return new GetOverrides(Optional.empty(), Optional.empty());
        }
    }

    /** What a PUT URL insists on (where the backend can enforce it). */
    record PutConstraints(Optional<String> contentType, Optional<Long> contentLength) {
        public static PutConstraints none() {
            return new PutConstraints(Optional.empty(), Optional.empty());
        }
    }
}
