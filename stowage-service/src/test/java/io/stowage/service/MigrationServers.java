package io.stowage.service;

import io.stowage.testkit.AzuriteProcess;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The servers the migration tests move files between, started once for the whole test run (a JVM start each is
 * seconds on two loaded cores) and stopped when it ends: s3proxy as a process over a temporary folder, and Azurite
 * from npm, started only when a test asks for it. A test method or {@code @BeforeAll} takes them as parameters;
 * each test works in a bucket or container of its own.
 */
final class MigrationServers implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MigrationServers.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == S3ProxyProcess.class || type == AzuriteProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext.Store store = e.getRoot().getStore(NS);
        if (p.getParameter().getType() == S3ProxyProcess.class) {
            return store.getOrComputeIfAbsent("s3proxy", k -> S3Proxy.start(), S3Proxy.class).process();
        }
        return store.getOrComputeIfAbsent("azurite", k -> Azurite.start(), Azurite.class).process();
    }

    private record S3Proxy(S3ProxyProcess process, Path dir)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        static S3Proxy start() {
            try {
                Path dir = Files.createTempDirectory("migration-s3proxy");
                return new S3Proxy(S3ProxyProcess.start(dir.resolve("blobs")), dir);
            } catch (IOException e) {
                throw new UncheckedIOException("s3proxy could not start", e);
            }
        }

        @Override
        public void close() throws IOException {
            process.close();
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Azurite(AzuriteProcess process)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        static Azurite start() {
            try {
                return new Azurite(AzuriteProcess.start());
            } catch (IOException e) {
                throw new UncheckedIOException("Azurite could not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Azurite", e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
        }
    }
}
