package io.stowage.it;

import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One s3proxy process for the whole run (starting one costs seconds on a loaded machine), passed to
 * test constructors and methods as {@link S3ProxyProcess}. A test that kills it need not restart it:
 * before every test the process is started again if it is not running. Tests isolate themselves with a
 * bucket each. The process is killed and its directory removed when the run ends.
 */
final class S3ProxyExtension implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(S3ProxyExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        shared(context).start();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == S3ProxyProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return shared(e);
    }

    private static S3ProxyProcess shared(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> {
            try {
                return new Holder(Files.createTempDirectory("stowage-it-s3proxy"));
            } catch (IOException e) {
                throw new IllegalStateException("s3proxy could not start", e);
            }
        }, Holder.class).server;
    }

    private static final class Holder implements AutoCloseable {
        final Path dir;
        final S3ProxyProcess server;

        Holder(Path dir) throws IOException {
            this.dir = dir;
            this.server = S3ProxyProcess.start(dir.resolve("blobs"));
        }

        @Override
        public void close() throws IOException {
            server.close();
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
