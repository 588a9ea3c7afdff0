package io.stowage.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for the CLI's tests: s3proxy as a process of its own, from the self-contained jar the
 * build copies into {@code target/s3proxy} (its dependencies would clash with the Azure SDK and logging
 * on this module's class path), over jclouds' filesystem store in a directory (a bucket is a directory
 * there), with V4 authentication, on a free loopback port. A missing jar or a server that does not answer
 * within {@link #START_BOUND} fails the caller; it never skips.
 */
final class S3ProxyProcess implements AutoCloseable {

    static final String ACCESS_KEY = "stowage-cli-access";
    static final String SECRET_KEY = "stowage-cli-secret-0123456789abcdef";
    /** Generous: a JVM with a 40 MB class path starting on two loaded cores. */
    static final Duration START_BOUND = Duration.ofSeconds(120);

    private final Path directory;
    private final int port;
    private final Path log;
    private final Process process;

    private S3ProxyProcess(Path directory, int port, Path log, Process process) {
        this.directory = directory;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts a server over files in {@code directory} and waits until it answers HTTP. */
    static S3ProxyProcess start(Path directory) throws IOException {
        String configured = System.getProperty("stowage.test.s3proxyJar");
        Path jar = configured == null ? Path.of("target", "s3proxy", "s3proxy.jar") : Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the s3proxy jar is missing at " + jar.toAbsolutePath()
                    + "; the build copies it there (run the module's tests through Maven)");
        }
        Files.createDirectories(directory);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = directory.resolveSibling("s3proxy.conf");
        Files.write(conf, List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.identity=identity",
                "jclouds.credential=credential",
                "jclouds.filesystem.basedir=" + directory.toAbsolutePath()), StandardCharsets.UTF_8);
        Path log = directory.resolveSibling("s3proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toAbsolutePath().toString(), "--properties", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3ProxyProcess p = new S3ProxyProcess(directory, port, log, process);
        p.awaitAnswering();
        return p;
    }

    private void awaitAnswering() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + " before answering; "
                        + tail());
            }
            try {
                // Any HTTP answer (403 without credentials) means s3proxy's handler is up.
                http.send(HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for s3proxy", e);
            }
            if (System.nanoTime() - deadline > 0) {
                close();
                throw new IllegalStateException("s3proxy did not answer within " + START_BOUND + "; " + tail());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for s3proxy", e);
            }
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "last lines of its log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The directory that holds {@code bucket} once it exists. */
    Path bucketDirectory(String bucket) {
        return directory.resolve(bucket);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("s3proxy (pid " + process.pid() + ") did not die within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
