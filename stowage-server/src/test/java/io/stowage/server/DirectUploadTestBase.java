package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * Direct uploads over HTTP: the default server runs on local disk (the upload URL is the server's); {@link #overS3()}
 * starts a second server whose primary is a real S3 server (s3proxy), which presigns.
 */
abstract class DirectUploadTestBase extends SecondServerTestBase {

    /** Headers an HTTP client sets itself and Java's client refuses to be given. */
    private static final Set<String> CLIENT_SET = Set.of("host", "content-length", "connection", "expect");

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_ALLOWED_TYPES", "text/plain,application/pdf,application/octet-stream");
    }

    /** A second server whose primary is a bucket of its own on s3proxy, as {@code minio}. */
    StowageServer overS3() throws IOException {
        return serverOver("minio");
    }

    /** The bucket the second server's service writes to. */
    BlobStore s3Store() {
        return secondService.manager().orElseThrow().backend("minio").orElseThrow();
    }

    /** The object key a presigned path-style URL names. */
    BlobKey keyOf(URI presigned) {
        String path = presigned.getPath();
        assertThat(path).startsWith("/" + bucket + "/");
        return BlobKey.of(path.substring(bucket.length() + 2));
    }

    /** {@code POST path} on {@code on} with a JSON body, as {@code key}. */
    HttpResponse<String> postJson(StowageServer on, String path, String key, Object body) {
        try {
            return send(HttpRequest.newBuilder(on.localUri().resolve(path)).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends {@code bytes} to an upload URL as a client does: the method and headers it was told, nothing else. */
    HttpResponse<String> sendTo(String method, String url, Map<String, ?> headers, byte[] bytes) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach((k, v) -> {
            if (!CLIENT_SET.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                b.header(k, String.valueOf(v));
            }
        });
        return send(b.build());
    }

    /** The objects the local store holds under {@code prefix} (one page is all a test makes). */
    java.util.List<io.stowage.BlobInfo> objects(String prefix) {
        return store.list(io.stowage.ListRequest.prefix(prefix)).items();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> headersOf(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("headers");
    }
}
