package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.service.TestDatabase;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.service.FileRecord;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stowage serve} as a real process on the local disk and {@link #database()}'s catalog (SQLite under
 * {@code STOWAGE_HOME}, the fresh-clone configuration, or PostgreSQL), over real HTTP: the first start's admin key, SIGTERM and SIGKILL during uploads, a client
 * that goes away, and 1 GiB up and down through a 64 MiB heap. After each, the catalog itself is asked (with the
 * server stopped) what stayed: files, usage, pending rows; and the disk what objects it holds.
 */
abstract class ServeSpec {

    static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    final HttpClient http = HttpClient.newHttpClient();
    private Map<String, String> databaseSettings;

    abstract TestDatabase database();

    private Path work() {
        return tmp.resolve("work");
    }

    private Path home() {
        return tmp.resolve("home");
    }

    Map<String, String> env(String... more) {
        if (databaseSettings == null) {
            databaseSettings = database().settings(home());
        }
        Map<String, String> env = new HashMap<>(databaseSettings);
        env.put("PRIMARY_BACKEND", "local");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    ServeProcess serve(String name, String... more) throws IOException, InterruptedException {
        return ServeProcess.start(LauncherRun.LAUNCHER, work(), env(more), name);
    }

    String adminKey() throws IOException {
        return Files.readString(home().resolve("admin.key"), StandardCharsets.US_ASCII).strip();
    }

    /**
     * One server's life per scenario, each start (a JVM, the catalog's migrations) being most of this class's time:
     * the first start's key, a SIGKILL mid-upload, the restart that keeps the key and cleans up, a graceful stop.
     */
    @Test
    void the_first_start_prints_the_admin_key_and_after_kill_9_mid_upload_the_restart_keeps_it_and_leaves_no_file()
            throws Exception {
        String key;
        List<Path> before;
        try (ServeProcess first = serve("first")) {
            key = adminKey();
            assertThat(key).startsWith("stw_");
            assertThat(first.out()).contains(key).contains("shown this once");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home().resolve("admin.key"))))
                    .isEqualTo("rw-------");
            assertThat(upload(first, key, "kept.txt", "a file that stays").statusCode()).isEqualTo(201);
            before = objects();
            try (Socket upload = first.startUpload(key, "big.bin", 64 * MIB, 8 * MIB)) {
                first.kill();
            }
        }
        try (ServeProcess restarted = serve("restarted")) {
            assertThat(restarted.out()).doesNotContain(key).contains("API keys exist")
                    .contains(home().resolve("admin.key").toString());
            if (database() == TestDatabase.SQLITE) {
                assertThat(restarted.out()).contains("removed 1 unfinished upload(s)");
            } else {
                assertThat(restarted.out()).doesNotContain("unfinished upload");
            }
            assertThat(adminKey()).isEqualTo(key);
            assertThat(list(restarted, key).statusCode()).as("the same key after the restart").isEqualTo(200);
            whileServing(restarted);
            assertThat(restarted.terminate()).as(restarted.err()).isIn(0, 143);
            assertThat(restarted.err()).contains("stopping").contains("stopped");
        }
        assertThat(objects()).containsExactlyInAnyOrderElementsOf(before);
        // On a shared PostgreSQL catalog the pending row stays, invisible, for the service's own sweep (decision 0045).
        assertNothingOf(17, 1, database() == TestDatabase.SQLITE ? 0 : 1);
    }

    /** What a subclass checks while {@code server} runs on this class's catalog and home. */
    void whileServing(ServeProcess server) throws Exception {
    }

    @Test
    void a_client_that_disconnects_mid_upload_leaves_nothing_and_sigterm_with_a_short_grace_aborts_one_in_flight()
            throws Exception {
        try (ServeProcess server = serve("server", "STOWAGE_SHUTDOWN_GRACE", "1s")) {
            String key = adminKey();
            try (Socket upload = server.startUpload(key, "big.bin", 64 * MIB, 8 * MIB)) {
                upload.setSoLinger(true, 0);
            }
            // The server notices on its own, while it keeps running: its temporary file goes.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!objects().isEmpty()) {
                assertThat(System.nanoTime()).as("the upload's files are gone: " + objects()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(upload(server, key, "after.txt", "the server still works").statusCode()).isEqualTo(201);
            List<Path> kept = objects();

            try (Socket upload = server.startUpload(key, "big.bin", 64 * MIB, 8 * MIB)) {
                assertThat(server.terminate()).isIn(0, 143);
                assertThat(answer(upload)).doesNotContain(" 201 ");
            }
            assertThat(server.err()).contains("1 request(s) in flight get PT1S to finish").contains("stopped");
            assertThat(objects()).containsExactlyInAnyOrderElementsOf(kept);
        }
        assertNothingOf("the server still works".length(), 1, 0);
    }

    /** What the server answered on {@code socket} before it closed it; nothing when it reset it. */
    private static String answer(Socket socket) {
        try {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException reset) {
            return "";
        }
    }

    HttpResponse<String> list(ServeProcess server, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri("/v1/files")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> upload(ServeProcess server, String key, String name, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri("/v1/files?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * With the server stopped, asks the catalog: the admin's files are only the ones kept (none named big.bin),
     * their usage is exactly {@code bytes} and {@code files}, and {@code pending} saves are left pending.
     */
    private void assertNothingOf(long bytes, long files, int pending) {
        StowageConfig config = StowageConfig.load(ConfigSources.of(env(), work()));
        // A store of its own: the catalog is asked, the backend's files stay as the server left them.
        try (StorageService catalog = StorageService.open(ServiceSettings.from(config), new MemoryBlobStore())) {
            List<FileRecord> listed = catalog.list("admin", "", null, 100).files();
            assertThat(listed).extracting(FileRecord::name).doesNotContain("big.bin").hasSize((int) files);
            Usage usage = catalog.usage("admin");
            assertThat(usage.bytes()).isEqualTo(bytes);
            assertThat(usage.files()).isEqualTo(files);
            assertThat(catalog.sweepPending(Duration.ZERO)).as("saves left pending").isEqualTo(pending);
        }
    }

    /** Every file of the local backend (content, versions, trash, sidecars, temporary files). */
    private List<Path> objects() throws IOException {
        try (Stream<Path> walk = Files.walk(home())) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(home().resolve("state")))
                    .filter(p -> !p.getFileName().toString().equals(".lock") && !p.getFileName().toString().equals("admin.key"))
                    .toList();
        }
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} pseudo-random bytes made as they are read, and their SHA-256. */
    static final class Generated extends InputStream {
        private final SplittableRandom random = new SplittableRandom(13);
        private final MessageDigest digest = newDigest();
        private long left;

        Generated(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left) & ~7;
            n = n == 0 ? (int) Math.min(len, left) : n;
            for (int i = 0; i < n; i += 8) {
                long r = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (r >>> (8 * j));
                }
            }
            digest.update(b, off, n);
            left -= n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
