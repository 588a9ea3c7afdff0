package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.AuditEntry;
import io.stowage.service.AuditQuery;
import io.stowage.testkit.Await;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Uploads over real HTTP: raw and multipart bodies, streamed; limits by the declared length (refused before a
 * byte is read) and by the stream; refused types; hostile names; a client that hangs up half way.
 */
abstract class UploadSpec extends ApiTestBase {

    static final int MAX = 6 * 1024 * 1024;

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_MAX_UPLOAD_SIZE", Integer.toString(MAX),
                "STOWAGE_ALLOWED_TYPES", "text/*, application/octet-stream, image/png");
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void a_multipart_upload_of_several_mebibytes_streams_in_and_reads_back_the_same() throws Exception {
        byte[] bytes = random(5 * 1024 * 1024 + 17);

        HttpResponse<String> r = postForm("/v1/files", ALICE, new Form().field("note", "ignored")
                .part("file", "photos/big.bin", "application/octet-stream", bytes));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(field(r, "name")).isEqualTo("photos/big.bin");
        assertThat(field(r, "size")).isEqualTo(bytes.length);
        assertThat(field(r, "sha256")).isEqualTo(sha256(bytes));
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/files/" + field(r, "id"));
        HttpResponse<byte[]> back = sendBytes(request("/v1/files/" + field(r, "id") + "/content", ALICE).GET().build());
        assertThat(back.body()).isEqualTo(bytes);
    }

    @Test
    void a_multipart_upload_takes_its_name_from_the_query_then_a_name_field_then_the_file_name() {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> byQuery = postForm("/v1/files?name=from-query.txt", ALICE,
                new Form().field("name", "from-field.txt").part("file", "from-part.txt", "text/plain", text));
        HttpResponse<String> byField = postForm("/v1/files", ALICE,
                new Form().field("name", "from-field.txt").part("file", "from-part.txt", "text/plain", text));
        HttpResponse<String> byPart = postForm("/v1/files", ALICE, new Form().part("file", "from-part.txt", "text/plain", text));
        HttpResponse<String> none = postForm("/v1/files", ALICE, new Form().part("file", null, "text/plain", text));

        assertThat(field(byQuery, "name")).isEqualTo("from-query.txt");
        assertThat(field(byField, "name")).isEqualTo("from-field.txt");
        assertThat(field(byPart, "name")).isEqualTo("from-part.txt");
        assertThat(field(byPart, "contentType")).isEqualTo("text/plain");
        assertProblem(none, 400, "INVALID_ARGUMENT");
    }

    @Test
    void a_multipart_body_without_a_file_field_or_malformed_is_a_bad_request_and_saves_nothing() {
        HttpResponse<String> noFile = postForm("/v1/files", ALICE, new Form().field("name", "x.txt").part("upload", "x.txt",
                "text/plain", "x".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> noBoundary = send(request("/v1/files", ALICE).header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\n")).build());
        HttpResponse<String> truncated = send(request("/v1/files", ALICE).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"nam")).build());

        Form many = new Form();
        for (int i = 0; i <= UploadBodies.MAX_PARTS_BEFORE_FILE; i++) {
            many.field("f" + i, "v");
        }
        HttpResponse<String> tooManyFields = postForm("/v1/files", ALICE, many.part("file", "x.txt", "text/plain", new byte[] {'x'}));

        assertProblem(tooManyFields, 400, "INVALID_ARGUMENT");
        assertProblem(noFile, 400, "INVALID_ARGUMENT");
        assertThat((String) field(noFile, "detail")).contains("'file'");
        assertProblem(noBoundary, 400, "INVALID_ARGUMENT");
        assertProblem(truncated, 400, "INVALID_ARGUMENT");
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("files", 0);
    }

    @Test
    void a_raw_body_declared_as_a_form_is_stored_as_sent_not_parsed_as_parameters() {
        HttpResponse<String> r = send(request("/v1/files?name=form.txt", ALICE)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=other.txt&a=b")).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(field(r, "name")).isEqualTo("form.txt");
        assertThat(get("/v1/files/" + field(r, "id") + "/content", ALICE).body()).isEqualTo("name=other.txt&a=b");
    }

    @Test
    void a_body_declared_over_the_limit_is_refused_before_it_is_sent() {
        // Headers only: the server answers without waiting for a body that never comes.
        String raw = raw("POST /v1/files?name=huge.bin HTTP/1.1\r\nAuthorization: Bearer " + ALICE
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + (MAX + 1), new byte[0], false);
        String multipart = raw("POST /v1/files HTTP/1.1\r\nAuthorization: Bearer " + ALICE
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (10L * MAX), new byte[0], false);
        String replace = raw("PUT /v1/files/" + saved(ALICE, "small.txt", "x") + "/content HTTP/1.1\r\nAuthorization: Bearer "
                + ALICE + "\r\nContent-Length: 100000000000", new byte[0], false);

        assertThat(raw).startsWith("HTTP/1.1 413");
        assertThat(multipart).startsWith("HTTP/1.1 413");
        assertThat(replace).startsWith("HTTP/1.1 413");
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("files", 1);
    }

    @Test
    void a_body_over_the_limit_without_a_declared_length_is_cut_off_and_leaves_nothing() {
        byte[] over = random(MAX + 1);

        HttpResponse<String> chunked = send(request("/v1/files?name=over.bin", ALICE).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over))).build());
        HttpResponse<String> multipart = postForm("/v1/files", ALICE, new Form().part("file", "over.bin",
                "application/octet-stream", over));

        assertProblem(chunked, 413, "TOO_LARGE");
        assertProblem(multipart, 413, "TOO_LARGE");
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("bytes", 0).containsEntry("files", 0);
        assertThat(objectsOnDisk()).isEmpty();
    }

    @Test
    void a_type_that_is_not_allowed_is_415_raw_or_multipart() {
        byte[] pdf = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> raw = send(request("/v1/files?name=doc.pdf", ALICE).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build());
        HttpResponse<String> form = postForm("/v1/files", ALICE, new Form().part("file", "doc.pdf", "application/pdf", pdf));

        assertProblem(raw, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(form, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(objectsOnDisk()).isEmpty();
    }

    @Test
    void traversal_and_control_characters_in_a_name_are_stored_cleaned_and_never_steer_the_key() {
        HttpResponse<String> r = upload(ALICE, "../../etc/pass\u0000wd\u0007\u202e", "text/plain", "not a password file");
        HttpResponse<String> onlyControls = upload(ALICE, "\u0000\u0001\u001b", "text/plain", "x");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String name = (String) field(r, "name");
        assertThat(name).doesNotContainPattern("\\p{Cntrl}").doesNotContain("\u202e").endsWith("passwd");
        assertThat(objectsOnDisk()).isNotEmpty().noneMatch(p -> p.contains("..") || p.contains("etc") || p.contains("passwd"));
        assertThat(get("/v1/files/" + field(r, "id") + "/content", ALICE).headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"passwd\"");
        assertThat(home.getParent().resolve("etc")).doesNotExist();
        assertProblem(onlyControls, 400, "INVALID_ARGUMENT");
    }

    @Test
    void a_client_that_hangs_up_mid_upload_leaves_no_row_no_object_and_no_usage() {
        saved(ALICE, "before.txt", "12345");
        java.util.List<String> objects = objectsOnDisk();
        byte[] half = random(512 * 1024);

        raw("POST /v1/files?name=cut.bin HTTP/1.1\r\nAuthorization: Bearer " + ALICE
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + (2 * half.length), half, true);

        // The failed save is audited once the server has cleaned up after it.
        Await.until(Duration.ofSeconds(30), "the cut upload's failure in the audit log", () ->
                service.audit(AuditQuery.all(100).byAction("file.save")).entries().stream()
                        .map(AuditEntry::outcome).anyMatch(o -> !o.equals("ok")));
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("bytes", 5).containsEntry("files", 1);
        assertThat(list(get("/v1/files", ALICE), "files")).extracting(f -> f.get("name")).containsExactly("before.txt");
        assertThat(objectsOnDisk()).isEqualTo(objects);
    }

    @Test
    void a_multipart_upload_reaches_the_service_while_it_streams_and_a_hang_up_leaves_nothing() {
        // A parser that spooled the part would never start a save for a body that never ends; this one does.
        byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] half = random(512 * 1024);
        byte[] sent = java.nio.ByteBuffer.allocate(head.length + half.length).put(head).put(half).array();

        raw("POST /v1/files HTTP/1.1\r\nAuthorization: Bearer " + ALICE
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (4 * half.length), sent, true);

        Await.until(Duration.ofSeconds(30), "the cut multipart upload's failed save in the audit log", () ->
                service.audit(AuditQuery.all(100).byAction("file.save")).entries().stream()
                        .map(AuditEntry::outcome).anyMatch(o -> !o.equals("ok")));
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("bytes", 0).containsEntry("files", 0);
        assertThat(objectsOnDisk()).isEmpty();
    }
}
