package io.stowage.s3;

import io.stowage.BlobStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy in this JVM over jclouds' in-memory ("transient") store, V4
 * authentication, on a free port of the loopback interface. As a JUnit extension
 * ({@code @ExtendWith(S3ProxyServer.Extension.class)}) one server serves every test class of the run
 * and is stopped when the run ends; {@link #start()} gives a test a server of its own (to stop it).
 */
final class S3ProxyServer implements AutoCloseable {

    static final String ACCESS_KEY = "stowage-test-access";
    static final String SECRET_KEY = "stowage-test-secret-0123456789abcdef";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a server; fails (never skips) when it cannot. */
    static S3ProxyServer start() throws Exception {
        return start(null, 0);
    }

    /**
     * Starts a server on {@code port} (0 for a free one) over the in-memory store, or over files
     * under {@code directory} when given (benchmarks, whose objects do not fit in a heap).
     */
    static S3ProxyServer start(Path directory, int port) throws Exception {
        Properties props = new Properties();
        String provider = "transient";
        if (directory != null) {
            provider = "filesystem";
            props.setProperty("jclouds.filesystem.basedir", directory.toString());
        }
        BlobStoreContext context = ContextBuilder.newBuilder(provider).credentials("identity", "credential")
                .overrides(props).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(new Utf8OrderedJcloudsStore(context.getBlobStore())).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        caseSensitiveHeaderCache(proxy);
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
        return new S3ProxyServer(proxy, context);
    }

    /**
     * s3proxy's Jetty answers known header values from a case-insensitive cache, so a request with
     * {@code Content-Type: application/json; charset=utf-8} reaches s3proxy as {@code charset=UTF-8}
     * and fails its V4 signature check (SignatureDoesNotMatch). AWS compares what was sent; so does
     * the test server once the cache is made case-sensitive. The Jetty classes are shaded inside
     * s3proxy, hence reflection.
     */
    private static void caseSensitiveHeaderCache(S3Proxy proxy) throws ReflectiveOperationException {
        java.lang.reflect.Field f = S3Proxy.class.getDeclaredField("server");
        f.setAccessible(true);
        Object server = f.get(proxy);
        for (Object connector : (Object[]) server.getClass().getMethod("getConnectors").invoke(server)) {
            for (Object factory : (java.util.Collection<?>) connector.getClass().getMethod("getConnectionFactories")
                    .invoke(connector)) {
                java.lang.reflect.Method getConfig;
                try {
                    getConfig = factory.getClass().getMethod("getHttpConfiguration");
                } catch (NoSuchMethodException e) {
                    continue;
                }
                Object httpConfig = getConfig.invoke(factory);
                httpConfig.getClass().getMethod("setHeaderCacheCaseSensitive", boolean.class).invoke(httpConfig, true);
            }
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** Settings of a {@code minio}-typed backend on this server with a fresh bucket. */
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("endpoint", endpoint.toString());
        s.put("bucket", "stowage-" + UUID.randomUUID().toString().substring(0, 18));
        s.put("access_key", ACCESS_KEY);
        s.put("secret_key", SECRET_KEY);
        s.put("region", "us-east-1");
        // s3proxy 2.6 ignores If-None-Match: * (a second create-only put overwrites), so create-only
        // writes are declared unsupported for it, as users of such servers would configure it.
        s.put("capabilities.conditional_put", "false");
        // s3proxy keeps no object tags (501), where minio-typed backends record the SHA-256 of uploads in
        // parts from a stream; the contract asks stat for every digest Stowage wrote, which such a
        // server gives only through a server-side copy. Users of such servers choose the same way.
        s.put("multipart_sha256", "copy");
        // s3proxy answers 501 to lifecycle configuration requests.
        s.put("capabilities.lifecycle", "false");
        s.put("connect_timeout", "2s");
        s.put("request_timeout", "20s");
        return s;
    }

    /** Opens a backend through the provider registry, as the CLI and the server do. */
    static BlobStore open(String name, String type, Map<String, String> settings) {
        return BlobStoreProviders.load().open(new BackendConfig(name, type, settings, Path.of("target")));
    }

    /** A raw SDK client on this server, for looking where the Stowage API cannot (open uploads). */
    S3Client rawClient() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.create()).build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }

    /** Starts one shared server for the run and passes it to test constructors and methods. */
    static final class Extension implements BeforeAllCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(S3ProxyServer.class);

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            shared(context);
        }

        static S3ProxyServer shared(ExtensionContext context) throws Exception {
            ExtensionContext.Store store = context.getRoot().getStore(NS);
            Holder h = store.getOrComputeIfAbsent("server", k -> {
                try {
                    return new Holder(S3ProxyServer.start());
                } catch (Exception e) {
                    throw new IllegalStateException("s3proxy could not start", e);
                }
            }, Holder.class);
            return h.server;
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == S3ProxyServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            try {
                return shared(e);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    private record Holder(S3ProxyServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
