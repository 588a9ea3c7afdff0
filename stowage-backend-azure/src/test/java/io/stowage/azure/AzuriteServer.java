package io.stowage.azure;

import io.stowage.BlobStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.AzuriteProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The shared Azurite of the module's tests ({@link AzuriteProcess}, installed from npm on first use and run as a
 * process), with what the tests open on it: settings of an {@code azure_blob} backend with a fresh container, and
 * the backend itself through the provider registry.
 */
final class AzuriteServer implements AutoCloseable {

    /** Azurite's well-known development account (public, documented by Microsoft). */
    static final String ACCOUNT = AzuriteProcess.ACCOUNT;
    static final String KEY = AzuriteProcess.KEY;

    private final AzuriteProcess process;

    private AzuriteServer(AzuriteProcess process) {
        this.process = process;
    }

    /** Installs (if needed) and starts Azurite on a free port. */
    static AzuriteServer start() throws IOException, InterruptedException {
        return new AzuriteServer(AzuriteProcess.start());
    }

    int port() {
        return process.port();
    }

    String blobEndpoint() {
        return process.blobEndpoint();
    }

    String connectionString() {
        return process.connectionString();
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
        process.stop();
    }

    /** Starts the emulator again on the same port, empty. */
    void restart() throws IOException, InterruptedException {
        process.restart();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
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
