package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.service.Quota;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/uploads}, the upload URL it answers (s3proxy's presigned URL, or this server's) used by a plain
 * HTTP client, and {@code POST /v1/uploads/{id}/complete}: a file as a save makes it, or a problem with the object
 * deleted.
 */
abstract class DirectUploadSpec extends DirectUploadTestBase {

    static final String TEXT = "direct upload bytes, straight to the store\n";

    Map<String, Object> open(StowageServer on, String key, String name, long size, String type, String sha256) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "size", size, "contentType", type));
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        HttpResponse<String> r = postJson(on, "/v1/uploads", key, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    HttpResponse<String> put(Map<String, Object> session, String body) {
        return sendTo((String) session.get("method"), (String) session.get("url"), headersOf(session),
                body.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> complete(StowageServer on, String key, Map<String, Object> session) {
        return send(HttpRequest.newBuilder(on.localUri().resolve("/v1/uploads/" + session.get("uploadId") + "/complete"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static int length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void on_s3_the_client_puts_to_a_presigned_url_and_completion_makes_the_file() throws Exception {
        StowageServer on = overS3();
        Map<String, Object> session = open(on, ALICE, "direct.txt", length(TEXT), "text/plain", sha256(TEXT));

        HttpResponse<String> put = put(session, TEXT);
        HttpResponse<String> done = complete(on, ALICE, session);
        HttpResponse<String> content = send(HttpRequest.newBuilder(on.localUri().resolve("/v1/files/" + id(done) + "/content"))
                .header("Authorization", "Bearer " + ALICE).GET().build());

        assertThat((String) session.get("url")).startsWith(s3.endpoint().toString()).contains("X-Amz-Signature=");
        // Type and length are signed into the URL: the client must send exactly these.
        assertThat(headersOf(session)).containsEntry("content-type", "text/plain")
                .containsEntry("content-length", String.valueOf(length(TEXT)));
        assertThat(session.get("method")).isEqualTo("PUT");
        assertThat(Instant.parse((String) session.get("expiresAt"))).isAfter(Instant.now());
        assertThat(keyOf(URI.create((String) session.get("url"))).value())
                .matches("alice/\\d{4}/\\d{2}/" + id(done) + "/[0-9a-z]{26}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(json(done)).containsEntry("name", "direct.txt").containsEntry("size", length(TEXT))
                .containsEntry("sha256", sha256(TEXT)).containsEntry("contentType", "text/plain")
                .containsEntry("backend", "minio");
        assertThat(content.body()).isEqualTo(TEXT);
    }

    @Test
    void on_s3_a_sha256_other_than_declared_is_refused_and_the_object_deleted_from_the_bucket() throws Exception {
        StowageServer on = overS3();
        Map<String, Object> session = open(on, ALICE, "swapped.txt", length(TEXT), "text/plain", sha256("other"));
        put(session, TEXT);
        URI url = URI.create((String) session.get("url"));

        HttpResponse<String> done = complete(on, ALICE, session);

        assertProblem(done, 400, "INVALID_ARGUMENT");
        assertThat(done.body()).contains(sha256(TEXT));
        Throwable gone = catchThrowable(() -> s3Store().stat(keyOf(url)));
        assertThat(gone).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(json(send(HttpRequest.newBuilder(on.localUri().resolve("/v1/usage")).header("Authorization", "Bearer " + ALICE)
                .GET().build()))).containsEntry("bytes", 0).containsEntry("files", 0);
    }

    @Test
    void on_s3_an_object_of_another_size_than_declared_is_refused_and_deleted() throws IOException {
        StowageServer on = overS3();
        Map<String, Object> session = open(on, ALICE, "short.txt", 100, "text/plain", null);
        // A backend that does not bind the length into its URL (Azure, GCS) takes whatever arrives.
        URI url = URI.create((String) session.get("url"));
        s3Store().put(keyOf(url), io.stowage.BlobContent.ofUtf8(TEXT), io.stowage.PutOptions.defaults());

        HttpResponse<String> done = complete(on, ALICE, session);

        assertProblem(done, 400, "INVALID_ARGUMENT");
        assertThat(done.body()).contains("declared as 100 bytes");
        assertThat(catchThrowable(() -> s3Store().stat(keyOf(url)))).isInstanceOf(StorageException.class);
        assertProblem(complete(on, ALICE, session), 404, "NOT_FOUND");
    }

    @Test
    void on_local_disk_the_url_is_this_servers_and_takes_the_bytes_without_credentials() throws Exception {
        Map<String, Object> session = open(server, ALICE, "local.txt", length(TEXT), "text/plain", sha256(TEXT));

        HttpResponse<String> early = complete(server, ALICE, session);
        HttpResponse<String> put = put(session, TEXT);
        HttpResponse<String> done = complete(server, ALICE, session);
        HttpResponse<String> again = complete(server, ALICE, session);
        HttpResponse<String> late = put(session, TEXT);

        assertThat((String) session.get("url")).startsWith(server.localUri() + "/v1/uploads/" + session.get("uploadId")
                + "/content?token=");
        assertProblem(early, 412, "PRECONDITION_FAILED");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(done.headers().firstValue("Location")).hasValue("/v1/files/" + id(done));
        assertThat(json(done)).containsEntry("sha256", sha256(TEXT)).containsEntry("size", length(TEXT));
        assertThat(json(again)).isEqualTo(json(done));
        assertProblem(late, 404, "NOT_FOUND");
        assertThat(get("/v1/files/" + id(done) + "/content", ALICE).body()).isEqualTo(TEXT);
    }

    @Test
    void on_local_disk_a_wrong_length_or_token_is_refused_at_the_url_and_stores_nothing() {
        Map<String, Object> session = open(server, ALICE, "five.txt", 5, "text/plain", null);
        String url = (String) session.get("url");

        HttpResponse<String> longer = put(session, "six ch");
        HttpResponse<String> forged = sendTo("PUT", url.substring(0, url.length() - 2) + "xx", headersOf(session),
                "five!".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> noToken = sendTo("PUT", url.substring(0, url.indexOf('?')), headersOf(session),
                "five!".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> otherType = sendTo("PUT", url, Map.of("Content-Type", "application/pdf"),
                "five!".getBytes(StandardCharsets.UTF_8));

        assertProblem(longer, 400, "INVALID_ARGUMENT");
        assertProblem(forged, 404, "NOT_FOUND");
        assertProblem(noToken, 404, "NOT_FOUND");
        assertProblem(otherType, 400, "INVALID_ARGUMENT");
        assertThat(objects("alice/")).isEmpty();
        assertProblem(complete(server, ALICE, session), 412, "PRECONDITION_FAILED");
    }

    @Test
    void on_local_disk_a_sha256_mismatch_and_a_type_not_allowed_delete_the_object() throws Exception {
        Map<String, Object> swapped = open(server, ALICE, "a.txt", 5, "text/plain", sha256("hello"));
        put(swapped, "jello");
        String zip = "PK\u0003\u0004 not really a zip but sniffed as one";
        Map<String, Object> typed = open(server, ALICE, "b.txt", length(zip), "text/plain", null);
        put(typed, zip);

        HttpResponse<String> badSha = complete(server, ALICE, swapped);
        HttpResponse<String> badType = complete(server, ALICE, typed);

        assertProblem(badSha, 400, "INVALID_ARGUMENT");
        assertProblem(badType, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(objects("alice/")).isEmpty();
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("bytes", 0).containsEntry("files", 0);
        assertThat(list(get("/v1/files", ALICE), "files")).isEmpty();
    }

    @Test
    void another_owners_upload_is_not_found_and_a_read_only_key_cannot_open_one() {
        Map<String, Object> session = open(server, ALICE, "mine.txt", 4, "text/plain", null);
        put(session, "mine");

        assertProblem(complete(server, BOB, session), 404, "NOT_FOUND");
        assertProblem(complete(server, ALICE_READ_ONLY, session), 403, "PERMISSION_DENIED");
        assertProblem(postJson(server, "/v1/uploads", ALICE_READ_ONLY, Map.of("name", "x", "size", 1,
                "contentType", "text/plain")), 403, "PERMISSION_DENIED");
        assertThat(complete(server, ALICE, session).statusCode()).isEqualTo(201);
    }

    @Test
    void an_expired_session_is_cleaned_and_can_no_longer_take_bytes_or_complete() {
        Map<String, Object> session = open(server, ALICE, "late.txt", 4, "text/plain", null);
        put(session, "late");

        int expired = service.directUploads().expire(Instant.parse((String) session.get("expiresAt")), false);

        assertThat(expired).isOne();
        assertProblem(complete(server, ALICE, session), 404, "NOT_FOUND");
        assertProblem(put(session, "late"), 404, "NOT_FOUND");
        assertThat(objects("alice/")).isEmpty();
    }

    @Test
    void the_quota_and_the_size_limit_are_checked_when_the_session_opens() {
        service.setQuota("alice", Quota.defaults().withMaxBytes(10));

        HttpResponse<String> over = postJson(server, "/v1/uploads", ALICE, Map.of("name", "big.txt", "size", 11,
                "contentType", "text/plain"));
        HttpResponse<String> huge = postJson(server, "/v1/uploads", BOB, Map.of("name", "huge.txt",
                "size", Long.MAX_VALUE / 2, "contentType", "text/plain"));
        HttpResponse<String> noSize = postJson(server, "/v1/uploads", BOB, Map.of("name", "x.txt",
                "contentType", "text/plain"));

        assertProblem(over, 507, "QUOTA_EXCEEDED");
        assertProblem(huge, 413, "TOO_LARGE");
        assertProblem(noSize, 400, "INVALID_ARGUMENT");
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("bytes", 0).containsEntry("files", 0);
    }
}
