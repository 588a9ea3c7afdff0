package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A tus session on parts across a reload that changes the primary (decision 0070): it goes on, finishes and expires
 * on the backend it began on, local disk or S3 (s3proxy), while new writes go to the new primary.
 */
abstract class TusReloadSpec extends ReloadTestBase {

    static final int MIB = 1024 * 1024;

    void reloadTo(String primary) {
        if (primary.equals("minio") && !dotEnv().contains("MINIO_BUCKET_NAME")) {
            appendToDotEnv(minio());
        }
        appendToDotEnv(Map.of("PRIMARY_BACKEND", primary));
        HttpResponse<String> r = post("/admin/config/reload", admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "primary")).isEqualTo(primary);
    }

    String create(long length) {
        HttpResponse<String> r = send(request(TusSpec.TUS, alice).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + TusSpec.b64("moved.bin"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r.headers().firstValue("Location").orElseThrow();
    }

    HttpResponse<String> patch(String location, long offset, byte[] data, int from, int to) {
        return send(request(location, alice).header("Tus-Resumable", "1.0.0")
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)).build());
    }

    void accepted(HttpResponse<String> r, long offset) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(r.headers().firstValue("Upload-Offset")).hasValue(Long.toString(offset));
    }

    /** The file the last chunk made: its record names {@code backend} and the SHA-256 of {@code data}, and it reads back. */
    void assertFile(HttpResponse<String> last, byte[] data, String backend) throws Exception {
        accepted(last, data.length);
        String fileId = last.headers().firstValue("Stowage-File-Id").orElseThrow();
        Map<String, Object> file = json(get("/v1/files/" + fileId, alice));
        assertThat(file).containsEntry("backend", backend).containsEntry("sha256", TusSpec.sha256(data))
                .containsEntry("size", data.length);
        HttpResponse<byte[]> content = sendBytes(request("/v1/files/" + fileId + "/content", alice).GET().build());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(content.body(), data)).as("the bytes read back").isTrue();
    }

    /** What the local backend holds of part uploads: its {@code uploads/} area. */
    List<String> localParts() {
        return files(wd.resolve("local").resolve("uploads"));
    }

    /** What s3proxy holds of multipart uploads (its file store keeps them as {@code .mpus-} objects in the bucket). */
    List<String> s3Parts() {
        return files(s3.bucketDirectory(bucket)).stream().filter(p -> p.contains(".mpus-")).toList();
    }

    static List<String> files(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_session_begun_on_local_disk_finishes_there_after_a_reload_to_s3() throws Exception {
        byte[] data = TusSpec.random(3 * MIB + 17);
        String location = create(data.length);
        accepted(patch(location, 0, data, 0, MIB), MIB);
        assertThat(localParts()).isNotEmpty();

        reloadTo("minio");
        accepted(patch(location, MIB, data, MIB, 2 * MIB), 2 * MIB);
        HttpResponse<String> last = patch(location, 2 * MIB, data, 2 * MIB, data.length);

        assertFile(last, data, "local");
        assertThat(localParts()).as("the part upload became the file").isEmpty();
        assertThat(s3Parts()).isEmpty();
        HttpResponse<String> fresh = upload(alice, "new.txt", "text/plain", "written on s3");
        assertThat(field(fresh, "backend")).isEqualTo("minio");
    }

    @Test
    void a_session_begun_on_s3_finishes_there_after_a_reload_to_local_disk() throws Exception {
        reloadTo("minio");
        byte[] data = TusSpec.random(6 * MIB + 5);
        String location = create(data.length);
        accepted(patch(location, 0, data, 0, 5 * MIB), 5 * MIB);
        // Under S3's 5 MiB minimum and not the last: held in the catalog until the completion sends it.
        accepted(patch(location, 5 * MIB, data, 5 * MIB, 5 * MIB + 300_000), 5 * MIB + 300_000);
        assertThat(service.resumable().heldInCatalog(location.substring(location.lastIndexOf('/') + 1)))
                .isEqualTo(300_000);
        assertThat(s3Parts()).isNotEmpty();

        reloadTo("local");
        HttpResponse<String> last = patch(location, 5 * MIB + 300_000, data, 5 * MIB + 300_000, data.length);

        assertFile(last, data, "minio");
        assertThat(s3Parts()).as("the multipart upload became the file").isEmpty();
        assertThat(localParts()).isEmpty();
    }

    @Test
    void an_expired_session_begun_on_local_disk_leaves_nothing_there_after_a_reload_to_s3() {
        String location = create(3 * MIB);
        accepted(patch(location, 0, TusSpec.random(MIB), 0, MIB), MIB);
        assertThat(localParts()).isNotEmpty();
        reloadTo("minio");

        assertThat(service.resumable().expire(Instant.now().plus(Duration.ofDays(2)), false)).isEqualTo(1);

        assertThat(localParts()).isEmpty();
        assertThat(get(location, alice).statusCode()).isEqualTo(404);
    }

    @Test
    void an_expired_session_begun_on_s3_leaves_no_multipart_upload_there_after_a_reload_to_local_disk() {
        reloadTo("minio");
        String location = create(6 * MIB);
        accepted(patch(location, 0, TusSpec.random(5 * MIB), 0, 5 * MIB), 5 * MIB);
        assertThat(s3Parts()).isNotEmpty();
        reloadTo("local");

        assertThat(service.resumable().expire(Instant.now().plus(Duration.ofDays(2)), false)).isEqualTo(1);

        assertThat(s3Parts()).isEmpty();
        assertThat(files(s3.bucketDirectory(bucket))).isEmpty();
    }
}
