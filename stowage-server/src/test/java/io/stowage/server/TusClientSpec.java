package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.local.LocalBlobStore;
import io.stowage.service.FileRecord;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.testkit.NpmPackages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * tus-js-client from npm, a real tus client run by Node.js ({@code src/test/node/tus-upload.js}), against the
 * server: an upload cut off twice and resumed, and one whose server is stopped and started anew (service,
 * catalog and store reopened) between two chunks. The stored file's SHA-256 is the source's. The 200 MiB cut-off
 * upload runs on SQLite only ({@link TusClientOnSqliteTest}): the catalog does the same in it as in the restart.
 */
abstract class TusClientSpec extends ServerTestBase {

    static final int MIB = 1 << 20;

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_MAX_UPLOAD_SIZE", "1GiB");
    }

    @Test
    void anUploadGoesOnAfterTheServerIsRestartedBetweenTwoChunks() throws Exception {
        List<String> lines = new ArrayList<>();
        Process node = NodeTusClient.start(uri("/v1/uploads/tus").toString(), ALICE, 24 * MIB, 8 * MIB, 0, true);
        String done = NodeTusClient.follow(node, lines, line -> {
            if (line.equals("PAUSED")) {
                restartOnTheSamePort();
                NodeTusClient.answer(node);
            }
        });
        assertThat(lines).contains("PAUSED");
        assertStored(done, 24L * MIB);
    }

    /** Stops the server, the service, its catalog and store, and starts them anew where the client expects. */
    private void restartOnTheSamePort() {
        int port = server.port();
        stopServer();
        store = LocalBlobStore.open(home.resolve("blobs"));
        service = StorageService.open(ServiceSettings.from(config()), store);
        server = StowageServer.start(ServerSettings.from(config()).withPort(port), service, authenticator());
    }

    void assertStored(String done, long size) throws Exception {
        String[] parts = done.split(" ");
        String sourceSha256 = parts[1];
        FileRecord file = service.info("alice", parts[2]);
        assertThat(file.size()).isEqualTo(size);
        assertThat(file.sha256()).isEqualTo(sourceSha256);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var read = service.retrieve("alice", file.id()); InputStream in = read.stream()) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(sourceSha256);
        try (var walk = Files.walk(home.resolve("blobs"))) {
            // Neither chunk objects (decision 0050) nor a part upload's staging files (0058) stay behind.
            assertThat(walk.map(Path::toString)).noneMatch(p -> p.contains("_uploads")
                    || p.contains(java.io.File.separator + "uploads" + java.io.File.separator));
        }
    }

    /** Installs tus-js-client from npm (once, into the user's cache) and runs the upload script with Node.js. */
    static final class NodeTusClient {

        private NodeTusClient() {
        }

        static Process start(String endpoint, String key, long size, int chunk, int cuts, boolean pause)
                throws IOException, InterruptedException {
            Path modules = install();
            Path script = Path.of("src", "test", "node", "tus-upload.js").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), endpoint, key, Long.toString(size),
                    Integer.toString(chunk), Integer.toString(cuts), pause ? "pause" : "go").redirectErrorStream(true);
            pb.environment().put("NODE_PATH", modules.toString());
            return pb.start();
        }

        /** Reads the script's lines, handing each to {@code each}, until DONE (returned); FAILED fails the test. */
        static String follow(Process node, List<String> lines, java.util.function.Consumer<String> each)
                throws IOException, InterruptedException {
            // Bounds the test: a client that hangs is stopped, which ends the read below.
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    if (!node.waitFor(10, TimeUnit.MINUTES)) {
                        node.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    each.accept(line);
                    if (line.startsWith("DONE ")) {
                        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
                        return line;
                    }
                }
            } finally {
                node.destroyForcibly();
                watchdog.interrupt();
            }
            throw new AssertionError("the tus client ended without finishing (exit " + node.waitFor() + "): " + lines);
        }

        static void answer(Process node) {
            try {
                OutputStream in = node.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The node_modules folder holding tus-js-client, installed with npm when it is not there yet. */
        private static Path install() throws IOException, InterruptedException {
            String version = System.getProperty("stowage.tus-js-client.version", "4.3.1");
            return NpmPackages.install("tus-js-client", version,
                    Path.of("node_modules", "tus-js-client", "package.json"), "the tus client tests")
                    .resolve("node_modules");
        }
    }
}
