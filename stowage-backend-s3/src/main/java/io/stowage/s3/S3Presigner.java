package io.stowage.s3;

import io.stowage.BlobKey;
import io.stowage.Presigner;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * SigV4 query-string URLs for GET and PUT (TTL 1 hour by default, at most 7 days). A PUT URL signs
 * the content type and length when constrained, so the client must send exactly those headers (they
 * are in {@link Presigner.PresignedRequest#headers()}). Objects put through a URL carry no SHA-256:
 * the client's bytes never pass through Stowage.
 */
final class S3Presigner implements Presigner, AutoCloseable {

    private final S3BlobStoreConfig config;
    private final java.util.function.Supplier<software.amazon.awssdk.services.s3.presigner.S3Presigner> make;
    /** Built on first use: the SDK's presigner costs start-up time a put or get of the CLI does not need. */
    private software.amazon.awssdk.services.s3.presigner.S3Presigner presigner;
    private boolean closed;
    private final Runnable ensureBucket;

    S3Presigner(S3BlobStoreConfig config,
            java.util.function.Supplier<software.amazon.awssdk.services.s3.presigner.S3Presigner> presigner,
            Runnable ensureBucket) {
        this.config = config;
        this.make = presigner;
        this.ensureBucket = ensureBucket;
    }

    private synchronized software.amazon.awssdk.services.s3.presigner.S3Presigner presigner() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        if (presigner == null) {
            presigner = make.get();
        }
        return presigner;
    }

    @Override
    public PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides) {
        Duration t = Presigner.checkTtl(ttl);
        PresignedGetObjectRequest p = presigner().presignGetObject(r -> r.signatureDuration(t).getObjectRequest(g -> {
            g.bucket(config.bucket()).key(key.value());
            overrides.contentType().ifPresent(g::responseContentType);
            overrides.contentDisposition().ifPresent(g::responseContentDisposition);
        }));
        return new PresignedRequest("GET", uri(p.url()), headers(p.signedHeaders()), p.expiration());
    }

    @Override
    public PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints) {
        Duration t = Presigner.checkTtl(ttl);
        ensureBucket.run();
        PresignedPutObjectRequest p = presigner().presignPutObject(r -> r.signatureDuration(t).putObjectRequest(u -> {
            u.bucket(config.bucket()).key(key.value());
            constraints.contentType().ifPresent(u::contentType);
            constraints.contentLength().ifPresent(u::contentLength);
            config.storageClass().ifPresent(u::storageClass);
            config.sse().ifPresent(u::serverSideEncryption);
            config.sseKmsKeyId().ifPresent(u::ssekmsKeyId);
        }));
        return new PresignedRequest("PUT", uri(p.url()), headers(p.signedHeaders()), p.expiration());
    }

    /** The signed headers the client must send itself ({@code host} is sent by every HTTP client). */
    private static Map<String, String> headers(Map<String, java.util.List<String>> signed) {
        Map<String, String> out = new TreeMap<>();
        signed.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                out.put(k, String.join(",", v));
            }
        });
        return out;
    }

    private static URI uri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK signed an invalid URL", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (presigner != null) {
            presigner.close();
        }
    }
}
