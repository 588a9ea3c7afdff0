package io.stowage.azure;

import io.stowage.BlobStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.NpmPackages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Azurite, Microsoft's Azure Storage emulator, as a process: installed from npm on first use (version
 * from the module's pom, into {@code ~/.cache/stowage/azurite-<version>}, so a clean clone needs only
 * Node.js and the registry), started on a free port with in-memory persistence and
 * {@code --skipApiVersionCheck} (without it Azurite answers 400 InvalidHeaderValue to the current SDK's
 * API version), stopped after the run. When Node.js, npm or the install is missing the tests fail with
 * what is missing: they never skip.
 */
final class AzuriteServer implements AutoCloseable {

    /** Azurite's well-known development account (public, documented by Microsoft). */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Path launcher;
    private final int port;
    private Process process;

    private AzuriteServer(Path launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /** Installs (if needed) and starts Azurite on a free port. */
    static AzuriteServer start() throws IOException, InterruptedException {
        AzuriteServer s = new AzuriteServer(install(), freePort());
        s.startProcess();
        return s;
    }

    int port() {
        return port;
    }

    String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + blobEndpoint() + ";";
    }

    /** Settings of an {@code azure_blob} backend on this server with a fresh container. */
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("account_name", ACCOUNT);
        s.put("account_key", KEY);
        s.put("endpoint", blobEndpoint());
        s.put("container", "stowage-" + UUID.randomUUID().toString().substring(0, 18));
        s.put("connect_timeout", "2s");
        s.put("request_timeout", "20s");
        return s;
    }

    /** Opens a backend through the provider registry, as the CLI and the server do. */
    static BlobStore open(String name, Map<String, String> settings) {
        return BlobStoreProviders.load().open(new BackendConfig(name, "azure_blob", settings, Path.of("target")));
    }

    /** Stops the emulator (its in-memory data is gone). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the emulator again on the same port, empty. */
    void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void startProcess() throws IOException, InterruptedException {
        Path workspace = Files.createTempDirectory("azurite");
        List<String> cmd = new ArrayList<>(List.of(node(), launcher.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                String.valueOf(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent",
                "--disableTelemetry"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workspace.toFile()).redirectErrorStream(true)
                .redirectOutput(workspace.resolve("azurite.log").toFile());
        process = pb.start();
        Process p = process;
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-azurite"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!accepts(port)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + p.exitValue() + ": "
                        + Files.readString(workspace.resolve("azurite.log")));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("Azurite did not listen on port " + port + " within 60 s: "
                        + Files.readString(workspace.resolve("azurite.log")));
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

    private static String node() {
        return "node";
    }

    /** The azurite-blob script, installed with npm when it is not there yet. */
    private static Path install() throws IOException, InterruptedException {
        String version = System.getProperty("stowage.azurite.version", "3.35.0");
        Path main = Path.of("node_modules", "azurite", "dist", "src", "blob", "main.js");
        return NpmPackages.install("azurite", version, main, "the Azure tests").resolve(main);
    }

    /** Starts one shared emulator for the run and passes it to test constructors and methods. */
    static final class Extension implements BeforeAllCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AzuriteServer.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            shared(context);
        }

        static AzuriteServer shared(ExtensionContext context) {
            ExtensionContext.Store store = context.getRoot().getStore(NS);
            return store.getOrComputeIfAbsent("server", k -> {
                try {
                    return new Holder(AzuriteServer.start());
                } catch (IOException e) {
                    throw new IllegalStateException("Azurite could not start: " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting Azurite", e);
                }
            }, Holder.class).server();
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == AzuriteServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return shared(e);
        }
    }

    private record Holder(AzuriteServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            server.close();
        }
    }
}
