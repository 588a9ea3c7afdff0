package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus-js-client ({@link TusClientSpec.NodeTusClient}) against a server in a process of its own on the local disk and
 * SQLite ({@link ServerProcess}), killed with SIGKILL between two chunks and started again on the same home and port:
 * the client resumes, and the file it made holds the source's bytes. Only HTTP and the client are used: what the
 * server kept across the kill is whatever its catalog and store had made durable.
 */
class TusKillTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUploadGoesOnAfterTheServerProcessIsKilledBetweenTwoChunks() throws Exception {
        List<String> lines = new ArrayList<>();
        List<ServerProcess> started = new ArrayList<>();
        try {
            ServerProcess first = ServerProcess.start(home, 0);
            started.add(first);
            int port = first.port();
            Process node = TusClientSpec.NodeTusClient.start(first.uri("/v1/uploads/tus").toString(),
                    ServerTestBase.ALICE, 6L * MIB, MIB, 0, true);
            String done = TusClientSpec.NodeTusClient.follow(node, lines, line -> {
                if (line.equals("PAUSED")) {
                    try {
                        first.kill();
                        started.add(ServerProcess.start(home, port));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    TusClientSpec.NodeTusClient.answer(node);
                }
            });
            assertThat(lines).contains("PAUSED");
            assertThat(started).hasSize(2);
            String[] parts = done.split(" ");
            String sourceSha256 = parts[1];
            String fileId = parts[2];
            ServerProcess second = started.get(1);

            HttpResponse<String> record = http.send(HttpRequest.newBuilder(second.uri("/v1/files/" + fileId))
                    .header("Authorization", "Bearer " + ServerTestBase.ALICE).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
            assertThat(ServerTestBase.field(record, "size")).isEqualTo(6 * MIB);
            assertThat(ServerTestBase.field(record, "sha256")).isEqualTo(sourceSha256);
            HttpResponse<InputStream> content = http.send(HttpRequest.newBuilder(second.uri("/v1/files/" + fileId
                    + "/content")).header("Authorization", "Bearer " + ServerTestBase.ALICE).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(content.statusCode()).isEqualTo(200);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long read = 0;
            try (InputStream in = content.body()) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                    read += n;
                }
            }
            assertThat(read).isEqualTo(6L * MIB);
            assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(sourceSha256);
        } finally {
            for (ServerProcess p : started) {
                p.close();
            }
        }
    }
}
