package io.stowage.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite, Microsoft's Azure Storage emulator, as a process for tests: installed from npm on first use (version from
 * the system property {@code stowage.azurite.version}, which the parent pom sets, into
 * {@code ~/.cache/stowage/azurite-<version>}, so a clean clone needs only Node.js and the registry), started on a
 * free loopback port with in-memory persistence and {@code --skipApiVersionCheck} (without it Azurite answers 400
 * InvalidHeaderValue to the current SDK's API version). When Node.js, npm or the install is missing the caller fails
 * with what is missing: it never skips.
 */
public final class AzuriteProcess implements AutoCloseable {

    /** Azurite's well-known development account (public, documented by Microsoft). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /** The version installed when the build does not say (the newest that runs on Node.js 20). */
    static final String DEFAULT_VERSION = "3.35.0";

    private final Path launcher;
    private final int port;
    private Process process;
    private Path workspace;

    private AzuriteProcess(Path launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /** Installs (if needed) and starts Azurite on a free port, and waits until it listens. */
    public static AzuriteProcess start() throws IOException, InterruptedException {
        AzuriteProcess p = new AzuriteProcess(install(), freePort());
        p.startProcess();
        return p;
    }

    public int port() {
        return port;
    }

    /** The blob service's endpoint, the account in its path (as Azurite wants it). */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + blobEndpoint() + ";";
    }

    /** Stops the emulator (its in-memory data is gone). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (process != null && !process.isAlive()) {
            TempTrees.delete(workspace);
            workspace = null;
        }
    }

    /** Starts the emulator again on the same port, empty. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void startProcess() throws IOException, InterruptedException {
        workspace = Files.createTempDirectory("azurite");
        List<String> cmd = List.of("node", launcher.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                String.valueOf(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent",
                "--disableTelemetry");
        Path log = workspace.resolve("azurite.log");
        Process p = new ProcessBuilder(cmd).directory(workspace.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process = p;
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-azurite"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!accepts(port)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("Azurite did not listen on port " + port + " within 60 s: "
                        + Files.readString(log));
            }
            Thread.sleep(50); // polling a port, not timing a test
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The azurite-blob script, installed with npm when it is not there yet. */
    private static Path install() throws IOException, InterruptedException {
        String version = System.getProperty("stowage.azurite.version", DEFAULT_VERSION);
        Path main = Path.of("node_modules", "azurite", "dist", "src", "blob", "main.js");
        return NpmPackages.install("azurite", version, main, "the tests").resolve(main);
    }
}
