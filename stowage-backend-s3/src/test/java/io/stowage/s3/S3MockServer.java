package io.stowage.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import io.stowage.testkit.TempTrees;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A second real S3 server: Adobe S3Mock (Spring Boot) in this JVM on a free port, with its files in a
 * temporary directory. It implements what s3proxy answers 501 to: bucket versioning, ListObjectVersions
 * and lifecycle configuration. It does not check signatures, so credential tests stay on s3proxy.
 */
final class S3MockServer implements AutoCloseable {

    private final S3MockApplication app;
    private final Path dir;
    private final URI endpoint;

    private S3MockServer(S3MockApplication app, Path dir) {
        this.app = app;
        this.dir = dir;
        this.endpoint = URI.create("http://127.0.0.1:" + app.getHttpPort());
    }

    static S3MockServer start() throws Exception {
        // Its objects and its embedded Tomcat's work folder (else a tomcat.0.* in the system's temporary
        // directory per run) in one folder, deleted when the server stops.
        Path dir = Files.createTempDirectory("s3mock");
        Path root = Files.createDirectories(dir.resolve("objects"));
        // S3MockApplication.start adds its defaults to the map it is given, so it must be mutable.
        Map<String, Object> props = new HashMap<>();
        props.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        props.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        props.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
        props.put(S3MockApplication.PROP_SILENT, true);
        props.put("spring.main.banner-mode", "off");
        props.put("server.tomcat.basedir", dir.resolve("tomcat").toString());
        S3MockServer server = new S3MockServer(S3MockApplication.start(props), dir);
        // The run's last test class may end with the JVM before JUnit closes the shared server.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-s3mock"));
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Settings of a {@code minio}-typed backend with versioning on a fresh bucket. */
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("endpoint", endpoint.toString());
        s.put("bucket", "stowage-" + UUID.randomUUID().toString().substring(0, 18));
        s.put("access_key", "any");
        s.put("secret_key", "any-secret");
        s.put("versioning", "true");
        return s;
    }

    @Override
    public void close() {
        app.stop();
        TempTrees.delete(dir);
    }

    /** Starts one shared S3Mock for the run and passes it to test constructors. */
    static final class Extension implements BeforeAllCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(S3MockServer.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            shared(context);
        }

        static S3MockServer shared(ExtensionContext context) {
            return context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> {
                try {
                    return new Holder(S3MockServer.start());
                } catch (Exception e) {
                    throw new IllegalStateException("S3Mock could not start", e);
                }
            }, Holder.class).server;
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == S3MockServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return shared(e);
        }
    }

    private record Holder(S3MockServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
