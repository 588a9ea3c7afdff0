package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.ErrorKind;
import io.stowage.service.TestDatabase;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link ServeSpec} on the fresh-clone catalog, SQLite, and what is SQLite's alone: one server per catalog (checked
 * while the spec's restarted server runs).
 * The 1 GiB round trip runs here only: it measures the streaming path, which the catalog does not touch.
 */
class ServeOnSqliteIT extends ServeSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    /** A second server on the same SQLite catalog is refused with a message, and the first one still serves. */
    @Override
    void whileServing(ServeProcess first) throws Exception {
        LauncherRun.Run another = LauncherRun.bash(tmp.resolve("another"), "\"$STOWAGE\" serve --port 0", env());
        assertThat(another.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.CONFIG));
        assertThat(another.err()).contains("another 'stowage serve' runs on the SQLite catalog");
        assertThat(list(first, adminKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void one_gib_goes_up_and_comes_back_through_a_64_mib_heap() throws Exception {
        long size = 1024 * MIB;
        try (ServeProcess server = serve("server", "JAVA_OPTS", "-Xmx64m", "STOWAGE_MAX_UPLOAD_SIZE", "2GiB")) {
            String key = adminKey();
            Generated source = new Generated(size);
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(server.uri("/v1/files?name=big.bin"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> source), size))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            String sent = source.sha256();
            assertThat(up.body()).contains("\"sha256\":\"" + sent + "\"").contains("\"size\":" + size);
            String id = up.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");

            HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(server.uri("/v1/files/" + id + "/content"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(down.statusCode()).isEqualTo(200);
            MessageDigest back = newDigest();
            long received = 0;
            try (InputStream in = down.body()) {
                byte[] buf = new byte[256 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    back.update(buf, 0, n);
                    received += n;
                }
            }
            assertThat(received).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(sent);
            assertThat(server.terminate()).isIn(0, 143);
            assertThat(server.err()).doesNotContain("OutOfMemoryError");
        }
    }

}
