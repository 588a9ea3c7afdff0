package io.stowage.testkit;

import java.io.IOException;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real S3 server for tests: s3proxy as a process of its own, run from the self-contained jar the
 * module's build copies into {@code target/s3proxy} (system property {@code stowage.test.s3proxyJar}),
 * so none of its dependencies (an old Azure SDK, logback) reach the test's class path, over jclouds'
 * filesystem store in a directory, with V4 authentication, on a
 * free loopback port. Tests may {@link #kill()} it (SIGKILL, as a crashed server) and {@link #start()}
 * it again on the same port and directory: what it had stored is still there.
 *
 * <p>A missing jar or a server that does not answer within {@link #START_BOUND} fails the caller; it
 * never skips.
 */
public final class S3ProxyProcess implements AutoCloseable {

    public static final String ACCESS_KEY = "stowage-test-access";
    public static final String SECRET_KEY = "stowage-test-secret-0123456789abcdef";
    /** Generous: a JVM with a 40 MB class path starting on two loaded cores. */
    public static final Duration START_BOUND = Duration.ofSeconds(120);

    private final Path jar;
    private final Path directory;
    private final int port;
    private final Path log;
    private Process process;
    /** Start and kill take turns; a lock, not a monitor, as they wait on a process and the network. */
    private final ReentrantLock lock = new ReentrantLock();

    private S3ProxyProcess(Path jar, Path directory, int port) {
        this.jar = jar;
        this.directory = directory;
        this.port = port;
        this.log = directory.resolveSibling("s3proxy-" + port + ".log");
    }

    /** The jar the build copied; fails when it is not there (never a reason to skip). */
    public static Path jar() {
        String configured = System.getProperty("stowage.test.s3proxyJar");
        Path jar = configured == null ? Path.of("target", "s3proxy", "s3proxy.jar") : Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the s3proxy jar is missing at " + jar.toAbsolutePath()
                    + "; the build copies it there (run the module's tests through Maven)");
        }
        return jar;
    }

    /** Starts a server over files in {@code directory} on a free port and waits until it answers. */
    public static S3ProxyProcess start(Path directory) throws IOException {
        Files.createDirectories(directory);
        S3ProxyProcess p = new S3ProxyProcess(jar(), directory, freePort());
        p.start();
        return p;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Starts the process (again) on the same port and directory and waits until it answers HTTP. */
    public void start() throws IOException {
        lock.lock();
        try {
            if (isRunning()) {
                return;
            }
            Path conf = directory.resolveSibling("s3proxy-" + port + ".conf");
            Files.write(conf, List.of(
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.identity=identity",
                    "jclouds.credential=credential",
                    "jclouds.filesystem.basedir=" + directory.toAbsolutePath()), StandardCharsets.UTF_8);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toAbsolutePath().toString(), "--properties", conf.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            awaitAnswering();
        } finally {
            lock.unlock();
        }
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
                // Any HTTP answer (403 without credentials) means Jetty is up and s3proxy's handler with it.
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
                kill();
                throw new IllegalStateException("s3proxy did not answer on port " + port + " within " + START_BOUND
                        + "; " + tail());
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

    /** Kills the process as a crash would (SIGKILL) and waits until it is gone. */
    public void kill() {
        lock.lock();
        try {
            if (process == null) {
                return;
            }
            process.destroyForcibly();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("s3proxy (pid " + process.pid() + ") did not die within 60 s of SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isRunning() {
        lock.lock();
        try {
            return process != null && process.isAlive();
        } finally {
            lock.unlock();
        }
    }

    /** The directory that holds {@code bucket} once it exists (jclouds' filesystem store: a bucket is a directory). */
    public Path bucketDirectory(String bucket) {
        return directory.resolve(bucket);
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        kill();
    }
}
