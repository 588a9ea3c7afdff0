package io.stowage.server;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server in a JVM of its own ({@link #main}: a local backend and the SQLite catalog under a home folder, the
 * test keys of {@link ServerTestBase#testKeys()}), for tests that kill it with SIGKILL and start it again on the same
 * home and port. It prints {@code LISTENING <port>} once it serves.
 */
final class ServerProcess implements AutoCloseable {

    /** The machine is shared: a JVM start with the catalog's migrations may take a while. */
    private static final long START_SECONDS = 120;

    private final Process process;
    private final int port;
    private final Path err;

    private ServerProcess(Process process, int port, Path err) {
        this.process = process;
        this.port = port;
        this.err = err;
    }

    /** Arguments: the home folder, the port (0 for a free one), then settings as {@code NAME=value}. */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Map<String, String> env = new java.util.HashMap<>(Map.of("STOWAGE_HOME", home.toString()));
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            env.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        StowageConfig config = StowageConfig.load(ConfigSources.of(env, home));
        LocalBlobStore store = LocalBlobStore.open(home.resolve("blobs"));
        StorageService service = StorageService.open(ServiceSettings.from(config), store);
        StowageServer server = StowageServer.start(ServerSettings.from(config).withPort(Integer.parseInt(args[1])),
                service, ServerTestBase.testKeys());
        System.out.println("LISTENING " + server.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    /** Starts {@link #main} in a child JVM on {@code home} and {@code port}, and waits until it listens. */
    static ServerProcess start(Path home, int port, String... settings) throws IOException, InterruptedException {
        Files.createDirectories(home);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Killed with SIGKILL: sqlite-jdbc's native library and its .lck stay in home, not in /tmp.
                "-Xmx256m", "-Dorg.sqlite.tmpdir=" + home.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(),
                home.toString(), Integer.toString(port)));
        command.addAll(List.of(settings));
        Path err = Files.createTempFile(home, "server", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // Bounds the wait: a child that hangs is stopped, which ends the read below.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(START_SECONDS));
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("LISTENING ")) {
                    return new ServerProcess(p, Integer.parseInt(line.substring(10).trim()), err);
                }
            }
        } finally {
            watchdog.interrupt();
        }
        p.destroyForcibly().waitFor();
        throw new AssertionError("the server process did not start: " + Files.readString(err));
    }

    int port() {
        return port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port).resolve(pathAndQuery);
    }

    /** SIGKILL: no shutdown hook, no close of the catalog or the store; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the server process did not die of SIGKILL");
        }
    }

    String err() throws IOException {
        return Files.readString(err);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
