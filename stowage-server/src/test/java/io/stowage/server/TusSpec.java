package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.Quota;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** tus 1.0 at /v1/uploads/tus over real HTTP: the protocol, its extensions, owners, limits, restarts, expiry. */
abstract class TusSpec extends ApiTestBase {

    static final String TUS = "/v1/uploads/tus";
    static final int MAX = 64 * 1024;

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_MAX_UPLOAD_SIZE", Integer.toString(MAX),
                "STOWAGE_ALLOWED_TYPES", "text/*, application/octet-stream");
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder tus(String path, String key) {
        return request(path, key).header("Tus-Resumable", "1.0.0");
    }

    HttpResponse<String> create(String key, long length, String name) {
        return send(tus(TUS, key).header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + b64(name) + ",filetype " + b64("application/octet-stream"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    String session(String key, long length, String name) {
        HttpResponse<String> r = create(key, length, name);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(r.headers().firstValue("Upload-Expires")).isPresent();
        assertThat(r.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(TUS + "/");
        return location;
    }

    HttpResponse<String> patch(String location, String key, long offset, byte[] chunk, String checksum) {
        HttpRequest.Builder b = tus(location, key).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk));
        if (checksum != null) {
            b.header("Upload-Checksum", checksum);
        }
        return send(b.build());
    }

    HttpResponse<String> head(String location, String key) {
        return send(tus(location, key).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    long offset(String location) {
        HttpResponse<String> r = head(location, ALICE);
        assertThat(r.statusCode()).isEqualTo(200);
        return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
    }

    static String checksum(String algorithm, byte[] bytes) throws Exception {
        MessageDigest md = MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "SHA-256");
        return algorithm + " " + Base64.getEncoder().encodeToString(md.digest(bytes));
    }

    /**
     * The chunks held on the local backend: the parts of its part uploads (the parts their logs under {@code uploads/}
     * name, decisions 0058 and 0103), and chunk objects under {@code _uploads/} (decision 0050).
     */
    List<String> chunksOnDisk() {
        List<String> chunks = new java.util.ArrayList<>(objectsOnDisk().stream()
                .filter(p -> p.startsWith("data/_uploads/")).toList());
        for (String log : objectsOnDisk().stream().filter(p -> p.startsWith("uploads/") && p.endsWith("/parts.log"))
                .toList()) {
            java.util.Map<String, String> parts = new java.util.TreeMap<>();
            try {
                for (String line : java.nio.file.Files.readAllLines(home.resolve("blobs").resolve(log))) {
                    String[] f = line.split(" ", 2);
                    parts.put(f[0], f[1]);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            parts.forEach((n, place) -> {
                if (!place.equals("gone")) {
                    chunks.add(log + "#" + n);
                }
            });
        }
        return chunks;
    }

    /** Nothing of any session on disk: no part upload, no chunk object, sidecar or trashed copy. */
    void assertNothingLeft() {
        assertThat(objectsOnDisk()).noneMatch(p -> p.contains("_uploads") || p.startsWith("uploads/"));
    }

    static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void optionsSaysWhatIsServedWithoutCredentials() {
        HttpResponse<String> r = send(request(TUS, null).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(r.headers().firstValue("Tus-Extension"))
                .hasValue("creation,creation-with-upload,termination,checksum,expiration");
        assertThat(r.headers().firstValue("Tus-Max-Size")).hasValue(Integer.toString(MAX));
        assertThat(r.headers().firstValue("Tus-Checksum-Algorithm")).hasValue("sha1,sha256");
    }

    @Test
    void chunksMakeTheFileWhichTheLastPatchAndHeadName() throws Exception {
        byte[] data = random(40_000);
        String location = session(ALICE, data.length, "big.bin");
        HttpResponse<String> first = patch(location, ALICE, 0, Arrays.copyOf(data, 15_000), checksum("sha256",
                Arrays.copyOf(data, 15_000)));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
        assertThat(first.headers().firstValue("Upload-Offset")).hasValue("15000");
        assertThat(first.headers().firstValue("Stowage-File-Id")).isEmpty();
        assertThat(offset(location)).isEqualTo(15_000);
        HttpResponse<String> h = head(location, ALICE);
        assertThat(h.headers().firstValue("Upload-Length")).hasValue("40000");
        assertThat(h.headers().firstValue("Upload-Metadata")).hasValueSatisfying(m -> assertThat(m).contains("filename"));
        assertThat(h.headers().firstValue("Cache-Control")).hasValue("no-store");

        byte[] rest = Arrays.copyOfRange(data, 15_000, data.length);
        HttpResponse<String> last = patch(location, ALICE, 15_000, rest, checksum("sha1", rest));
        assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
        assertThat(last.headers().firstValue("Upload-Offset")).hasValue("40000");
        String fileId = last.headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(head(location, ALICE).headers().firstValue("Stowage-File-Id")).hasValue(fileId);
        // The same last chunk again (a client that lost the answer) names the same file and stores nothing.
        assertThat(patch(location, ALICE, 40_000, new byte[0], null).headers().firstValue("Stowage-File-Id"))
                .hasValue(fileId);

        HttpResponse<byte[]> content = sendBytes(request("/v1/files/" + fileId + "/content", ALICE).GET().build());
        assertThat(content.body()).isEqualTo(data);
        assertThat(field(get("/v1/files/" + fileId, ALICE), "name")).isEqualTo("big.bin");
        assertThat(field(get("/v1/files/" + fileId, ALICE), "sha256")).isEqualTo(sha256(data));
        assertNothingLeft();
        assertThat(service.audit(io.stowage.service.AuditQuery.all(100)).entries())
                .anySatisfy(e -> assertThat(e.action()).isEqualTo("upload.create"))
                .anySatisfy(e -> assertThat(e.action()).isEqualTo("file.save"));
    }

    @Test
    void creationWithUploadTakesTheWholeFileInOneCall() throws Exception {
        byte[] data = "all of it at once".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send(tus(TUS, ALICE).header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", "filename " + b64("note.txt"))
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Checksum", checksum("sha256", data))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(data.length));
        String fileId = r.headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(field(get("/v1/files/" + fileId, ALICE), "contentType")).asString().startsWith("text/plain");
    }

    @Test
    void anEmptyFileIsSavedWhenItsSessionIsCreated() {
        HttpResponse<String> r = create(ALICE, 0, "empty.txt");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Upload-Offset")).hasValue("0");
        String fileId = r.headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(field(get("/v1/files/" + fileId, ALICE), "size")).isEqualTo(0);
    }

    @Test
    void erasingAnOwnerRemovesTheirSessions() {
        String location = session(ALICE, 100, "a.bin");
        assertThat(patch(location, ALICE, 0, random(10), null).statusCode()).isEqualTo(204);
        String bobs = session(BOB, 100, "b.bin");
        assertThat(patch(bobs, BOB, 0, random(10), null).statusCode()).isEqualTo(204);
        service.eraseOwner("alice");
        assertThat(head(location, ALICE).statusCode()).isEqualTo(404);
        assertThat(chunksOnDisk()).hasSize(1);
        assertThat(head(bobs, BOB).headers().firstValue("Upload-Offset")).hasValue("10");
    }

    @Test
    void aWrongOffsetIsAConflictAndChangesNothing() {
        String location = session(ALICE, 100, "a.bin");
        assertThat(patch(location, ALICE, 0, random(10), null).statusCode()).isEqualTo(204);
        HttpResponse<String> r = patch(location, ALICE, 5, random(10), null);
        assertProblem(r, 409, "PRECONDITION_FAILED");
        assertThat(offset(location)).isEqualTo(10);
        assertThat(chunksOnDisk()).hasSize(1);
    }

    /**
     * A PATCH sent as curl sends a large one, waiting for "100 Continue" before its body: the status lines of the
     * answers, the interim one first when there is one.
     */
    List<String> patchAfterContinue(String location, String key, long offset, byte[] chunk) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(server.localUri().getHost(), server.port())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                    + "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: "
                    + offset + "\r\nContent-Length: " + chunk.length + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            List<String> statuses = new java.util.ArrayList<>(List.of(line(in)));
            if (statuses.getFirst().startsWith("HTTP/1.1 100")) {
                while (!line(in).isEmpty()) {
                    // the rest of the interim answer
                }
                out.write(chunk);
                out.flush();
                statuses.add(line(in));
            }
            return statuses;
        }
    }

    private static String line(java.io.InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    @Test
    void aClientWaitingToSendItsChunkIsToldToGoOnOnceItsCredentialsAreCheckedBeforeTheSessionIs() throws Exception {
        String location = session(ALICE, 100, "continue.bin");
        // Its chunk then arrives while the session is held and read (decision 0089): even one at a wrong offset is
        // told to go on, and is a conflict once sent.
        assertThat(patchAfterContinue(location, ALICE, 5, random(10))).hasSize(2)
                .satisfies(s -> assertThat(s.get(0)).startsWith("HTTP/1.1 100"))
                .satisfies(s -> assertThat(s.get(1)).startsWith("HTTP/1.1 409"));
        assertThat(patchAfterContinue(location, ALICE, 0, random(10))).hasSize(2)
                .satisfies(s -> assertThat(s.get(1)).startsWith("HTTP/1.1 204"));
        assertThat(offset(location)).isEqualTo(10);
        // No credentials, no go-ahead: the body is never asked for.
        assertThat(patchAfterContinue(location, "not-a-key", 10, random(10))).hasSize(1)
                .satisfies(s -> assertThat(s.getFirst()).startsWith("HTTP/1.1 401"));
    }

    /**
     * The dropped chunk is in no file: on parts (decision 0058) the bytes it wrote stay in the staging area until
     * the next chunk takes its place, and the file holds only what was accepted.
     */
    @Test
    void aChunkWhoseChecksumDiffersIs460AndDropped() throws Exception {
        String location = session(ALICE, 100, "a.bin");
        byte[] wrong = random(11);
        HttpResponse<String> r = patch(location, ALICE, 0, wrong, checksum("sha256", random(12)));
        assertProblem(r, 460, "INTEGRITY");
        assertThat(offset(location)).isZero();
        assertProblem(patch(location, ALICE, 0, random(10), "md5 AAAA"), 400, "INVALID_ARGUMENT");
        byte[] good = random(100);
        byte[] first = Arrays.copyOf(good, 10);
        assertThat(patch(location, ALICE, 0, first, checksum("sha1", first)).statusCode()).isEqualTo(204);
        // Dropped after the first chunk too: the SHA-256 this node keeps of the upload goes on without it.
        assertProblem(patch(location, ALICE, 10, random(20), checksum("sha256", random(3))), 460, "INTEGRITY");
        assertThat(offset(location)).isEqualTo(10);
        HttpResponse<String> last = patch(location, ALICE, 10, Arrays.copyOfRange(good, 10, 100), null);
        assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
        String fileId = last.headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(sendBytes(request("/v1/files/" + fileId + "/content", ALICE).GET().build()).body()).isEqualTo(good);
        assertThat(field(get("/v1/files/" + fileId, ALICE), "sha256")).isEqualTo(sha256(good));
        assertNothingLeft();
    }

    @Test
    void badRequestsAreRefused() {
        String location = session(ALICE, 100, "a.bin");
        HttpResponse<String> wrongType = send(tus(location, ALICE).header("Content-Type", "text/plain")
                .header("Upload-Offset", "0").method("PATCH", HttpRequest.BodyPublishers.ofString("x")).build());
        assertProblem(wrongType, 415, "UNSUPPORTED_MEDIA_TYPE");
        HttpResponse<String> noVersion = send(request(location, ALICE).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("x")).build());
        assertProblem(noVersion, 412, "PRECONDITION_FAILED");
        assertThat(noVersion.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertProblem(send(tus(TUS, ALICE).POST(HttpRequest.BodyPublishers.noBody()).build()), 400, "INVALID_ARGUMENT");
        assertProblem(send(tus(TUS, ALICE).header("Upload-Length", "-3").POST(HttpRequest.BodyPublishers.noBody())
                .build()), 400, "INVALID_ARGUMENT");
        assertProblem(send(tus(TUS, ALICE).header("Upload-Length", "5").header("Upload-Metadata", "filename %%%")
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 400, "INVALID_ARGUMENT");
        assertProblem(patch(location, ALICE, 0, random(101), null), 400, "INVALID_ARGUMENT");
        assertThat(offset(location)).isZero();
        assertThat(send(request(TUS, null).header("Tus-Resumable", "1.0.0").header("Upload-Length", "5")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(401);
        assertThat(send(tus(TUS, ALICE_READ_ONLY).header("Upload-Length", "5")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(403);
    }

    @Test
    void anotherOwnersSessionIsNotFound() {
        String location = session(ALICE, 100, "a.bin");
        assertThat(head(location, BOB).statusCode()).isEqualTo(404);
        assertProblem(patch(location, BOB, 0, random(10), null), 404, "NOT_FOUND");
        assertProblem(send(tus(location, BOB).DELETE().build()), 404, "NOT_FOUND");
        assertThat(head(TUS + "/not-an-id", ALICE).statusCode()).isEqualTo(404);
        assertThat(offset(location)).isZero();
    }

    @Test
    void terminationRemovesWhatWasReceived() {
        String location = session(ALICE, 100, "a.bin");
        assertThat(patch(location, ALICE, 0, random(10), null).statusCode()).isEqualTo(204);
        assertThat(chunksOnDisk()).hasSize(1);
        assertThat(send(tus(location, ALICE).DELETE().build()).statusCode()).isEqualTo(204);
        assertThat(head(location, ALICE).statusCode()).isEqualTo(404);
        assertProblem(patch(location, ALICE, 10, random(10), null), 404, "NOT_FOUND");
        assertNothingLeft();
        assertThat(service.resumable().expire(Instant.now(), false)).isZero();
    }

    @Test
    void expiredSessionsGoWithTheirChunks() {
        String location = session(ALICE, 100, "a.bin");
        assertThat(patch(location, ALICE, 0, random(10), null).statusCode()).isEqualTo(204);
        // A chunk a crash stored without recording it: expiry finds it under the session's prefix.
        String id = location.substring(location.lastIndexOf('/') + 1);
        store.put(io.stowage.BlobKey.of("_uploads/" + id + "/orphan"), io.stowage.BlobContent.of(random(5)));
        Instant later = Instant.now().plus(service.resumable().ttl()).plus(1, ChronoUnit.MINUTES);
        assertThat(service.resumable().expire(Instant.now(), false)).isZero();
        assertThat(service.resumable().expire(later, true)).isEqualTo(1);
        assertThat(chunksOnDisk()).hasSize(2);
        assertThat(service.resumable().expire(later, false)).isEqualTo(1);
        assertNothingLeft();
        assertThat(head(location, ALICE).statusCode()).isEqualTo(404);

        service.resumable().ttl(java.time.Duration.ofMillis(1));
        String shortLived = session(ALICE, 100, "b.bin");
        await(() -> head(shortLived, ALICE).statusCode() == 404);
        assertProblem(patch(shortLived, ALICE, 0, random(10), null), 404, "NOT_FOUND");
    }

    @Test
    void sizeAndQuotaAreCheckedAtCreation() {
        assertProblem(create(ALICE, MAX + 1, "huge.bin"), 413, "TOO_LARGE");
        service.setQuota("alice", Quota.defaults().withMaxBytes(1000));
        assertProblem(create(ALICE, 1001, "a.bin"), 507, "QUOTA_EXCEEDED");
        assertThat(create(ALICE, 1000, "a.bin").statusCode()).isEqualTo(201);
        service.setQuota("bob", Quota.defaults().withMaxFiles(0));
        assertProblem(create(BOB, 1, "a.bin"), 507, "QUOTA_EXCEEDED");
    }

    @Test
    void aRefusedTypeEndsTheSessionOnTheLastChunk() {
        byte[] png = new byte[200];
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(signature, 0, png, 0, signature.length);
        String location = session(ALICE, png.length, "picture.bin");
        assertThat(patch(location, ALICE, 0, Arrays.copyOf(png, 100), null).statusCode()).isEqualTo(204);
        assertProblem(patch(location, ALICE, 100, Arrays.copyOfRange(png, 100, 200), null), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(head(location, ALICE).statusCode()).isEqualTo(404);
        assertNothingLeft();
        assertThat(json(get("/v1/files", ALICE)).get("files")).asList().isEmpty();
    }

    /**
     * The SHA-256 kept in memory is lost in a restart (decision 0066): the completion reads the object back for it,
     * so the file still records the SHA-256 of every byte.
     */
    @Test
    void aSessionSurvivesARestart() throws Exception {
        byte[] data = random(30_000);
        String location = session(ALICE, data.length, "restart.bin");
        assertThat(patch(location, ALICE, 0, Arrays.copyOf(data, 10_000), null).statusCode()).isEqualTo(204);
        stopServer();
        startServer();
        assertThat(offset(location)).isEqualTo(10_000);
        HttpResponse<String> last = patch(location, ALICE, 10_000, Arrays.copyOfRange(data, 10_000, data.length), null);
        assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
        String fileId = last.headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(sendBytes(request("/v1/files/" + fileId + "/content", ALICE).GET().build()).body()).isEqualTo(data);
        assertThat(field(get("/v1/files/" + fileId, ALICE), "sha256")).isEqualTo(sha256(data));
        assertNothingLeft();
    }

    /** On local disk the parts go into one staging file that the last chunk renames into place. */
    @Test
    void theLastChunkMovesThePartsIntoPlaceAndOutOfTheStagingArea() throws Exception {
        byte[] data = random(50_000);
        String location = session(ALICE, data.length, "moved.bin");
        for (int at = 0; at < data.length; at += 10_000) {
            HttpResponse<String> r = patch(location, ALICE, at, Arrays.copyOfRange(data, at, at + 10_000), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            assertThat(chunksOnDisk()).hasSize(at + 10_000 < data.length ? at / 10_000 + 1 : 0);
        }
        assertNothingLeft();
        String fileId = head(location, ALICE).headers().firstValue("Stowage-File-Id").orElseThrow();
        assertThat(sendBytes(request("/v1/files/" + fileId + "/content", ALICE).GET().build()).body()).isEqualTo(data);
        assertThat(field(get("/v1/files/" + fileId, ALICE), "sha256")).isEqualTo(sha256(data));
        assertThat(service.resumable().heldInCatalog(location.substring(location.lastIndexOf('/') + 1)))
                .isZero();
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
