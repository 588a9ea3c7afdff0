package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The specifications' own routes in their shapes: 001's {@code GET /storage/status} and
 * {@code POST /storage/presigned-upload}, 002's {@code POST /upload} and {@code GET /download/{file_id}}.
 */
abstract class CompatibilitySpec extends DirectUploadTestBase {

    static final String TEXT = "a file from a client of an original service\n";

    @Test
    void upload_takes_a_multipart_file_and_download_answers_a_signed_url_that_serves_it() {
        HttpResponse<String> saved = postForm("/upload", ALICE, new Form().part("file", "cv.txt", "text/plain",
                TEXT.getBytes(StandardCharsets.UTF_8)));
        String fileId = (String) field(saved, "file_id");

        HttpResponse<String> download = get("/download/" + fileId, ALICE);
        String url = (String) field(download, "download_url");
        HttpResponse<String> fetched = send(HttpRequest.newBuilder(java.net.URI.create(url)).GET().build());

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(json(saved)).containsOnlyKeys("file_id");
        assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
        assertThat(json(download)).containsOnlyKeys("download_url");
        assertThat(url).startsWith(server.localUri() + LinkRoutes.PREFIX);
        assertThat(fetched.body()).isEqualTo(TEXT);
        assertThat(json(get("/v1/files/" + fileId, ALICE))).containsEntry("name", "cv.txt");
    }

    @Test
    void the_specification_routes_need_credentials_and_keep_owners_apart() {
        String fileId = (String) field(postForm("/upload", ALICE, new Form().part("file", "mine.txt", "text/plain",
                TEXT.getBytes(StandardCharsets.UTF_8))), "file_id");

        assertProblem(get("/download/" + fileId, BOB), 404, "NOT_FOUND");
        assertProblem(get("/download/" + fileId, null), 401, "UNAUTHENTICATED");
        assertProblem(get("/storage/status", null), 401, "UNAUTHENTICATED");
        assertProblem(postForm("/upload", ALICE_READ_ONLY, new Form().part("file", "x.txt", "text/plain", new byte[1])),
                403, "PERMISSION_DENIED");
        assertProblem(send(request("/upload", ALICE).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("raw")).build()), 400, "INVALID_ARGUMENT");
        assertProblem(postForm("/upload", ALICE, new Form().field("other", "no file")), 400, "INVALID_ARGUMENT");
    }

    @Test
    void a_presigned_upload_on_local_disk_is_sent_to_this_server_and_completed_as_a_file() {
        HttpResponse<String> made = postJson(server, "/storage/presigned-upload", ALICE,
                Map.of("filename", "video.txt", "content_type", "text/plain"));
        Map<String, Object> answer = json(made);

        HttpResponse<String> put = sendTo((String) answer.get("method"), (String) answer.get("url"), headersOf(answer),
                TEXT.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> done = send(request((String) answer.get("complete_url"), ALICE)
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        assertThat(answer).containsKeys("url", "upload_url", "method", "headers", "fields", "expires_at", "expires_in",
                "upload_id", "file_id", "complete_url");
        assertThat(((Number) answer.get("expires_in")).longValue()).isBetween(3500L, 3600L);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(json(done)).containsEntry("id", answer.get("file_id")).containsEntry("size", TEXT.length())
                .containsEntry("name", "video.txt");
    }

    @Test
    void a_presigned_upload_on_s3_is_a_url_of_the_bucket_and_its_completion_makes_the_file() throws IOException {
        StowageServer on = overS3();
        Map<String, Object> answer = json(postJson(on, "/storage/presigned-upload", ALICE,
                Map.of("filename", "clip.txt", "content_type", "text/plain", "size", TEXT.length())));

        HttpResponse<String> put = sendTo("PUT", (String) answer.get("url"), headersOf(answer),
                TEXT.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> done = postJson(on, (String) answer.get("complete_url"), ALICE, Map.of());

        assertThat((String) answer.get("url")).startsWith(s3.endpoint().toString());
        assertThat(answer.toString()).doesNotContain(S3ProxyProcess.SECRET_KEY);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(json(done)).containsEntry("backend", "minio").containsEntry("size", TEXT.length());
    }

    @Test
    void storage_status_over_s3_says_which_is_active_and_shows_no_secret() throws IOException {
        StowageServer on = overS3();

        HttpResponse<String> status = send(HttpRequest.newBuilder(on.localUri().resolve("/storage/status"))
                .header("Authorization", "Bearer " + ALICE_READ_ONLY).GET().build());
        Map<String, Object> body = json(status);

        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(body).containsEntry("active", "s3").containsEntry("primary", "minio");
        assertThat(section(body, "s3")).containsEntry("configured", true).containsEntry("active", true)
                .containsEntry("backend", "minio");
        assertThat(section(body, "local")).containsEntry("active", false);
        // The access key id is an identifier, shown as the admin API shows it; the secret key is masked.
        assertThat(status.body()).doesNotContain(S3ProxyProcess.SECRET_KEY);
        assertThat(section(section(body, "s3"), "settings")).containsEntry("access_key", S3ProxyProcess.ACCESS_KEY)
                .hasEntrySatisfying("secret_key", v -> assertThat((String) v).startsWith("****"));
    }

    @Test
    void storage_status_on_local_disk_says_local_is_active() {
        HttpResponse<String> status = get("/storage/status", ALICE);

        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(json(status)).containsEntry("active", "local");
        assertThat(section(json(status), "local")).containsEntry("configured", true).containsEntry("active", true);
        assertThat(section(json(status), "s3")).containsEntry("configured", false).containsEntry("active", false);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> body, String name) {
        return (Map<String, Object>) body.get(name);
    }
}
