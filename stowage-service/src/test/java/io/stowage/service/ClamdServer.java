package io.stowage.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;

/**
 * A real {@code clamd} (Debian's {@code clamav-daemon}) for the tests, in a folder of its own: its configuration, a
 * unix socket and a TCP port on loopback, and a signature database the tests write themselves, one {@code .hdb}
 * line for the EICAR test file (no download, no network). Installed with {@code apt-get} when missing and the
 * tests run as root; a clamd that cannot be had fails the test under {@code CI=true}, and is an assumption failure
 * (reported skipped, never passed) elsewhere.
 */
public final class ClamdServer implements AutoCloseable {

    /** The 68 bytes of the EICAR anti-virus test file. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** Its MD5, size and the name clamd reports. */
    private static final String SIGNATURE = "44d88612fea8a8f36de82e1278abb02f:68:Stowage-Test-EICAR";
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/clamd"), Path.of("/usr/bin/clamd"));

    private final Path dir;
    private final int port;
    private final Process process;

    private ClamdServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** The name clamd gives the EICAR file with the test database (clamd marks signatures not its own). */
    public static String eicarName() {
        return SIGNATURE.substring(SIGNATURE.lastIndexOf(':') + 1) + ".UNOFFICIAL";
    }

    /** Starts a clamd in {@code dir} and waits (at most a minute) until it answers. */
    public static ClamdServer start(Path dir) throws IOException, InterruptedException {
        Path binary = binary();
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("stowage-test.hdb"), SIGNATURE + "\n");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n",
                "Foreground yes",
                "LocalSocket " + dir.resolve("clamd.sock"),
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + db,
                "TemporaryDirectory " + Files.createDirectories(dir.resolve("tmp")),
                "LogFile " + dir.resolve("clamd.log"),
                "PidFile " + dir.resolve("clamd.pid"),
                "StreamMaxLength 512M",
                "MaxThreads 4",
                "Bytecode no",
                "") );
        Process process = new ProcessBuilder(binary.toString(), "--config-file=" + conf)
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        ClamdServer server = new ClamdServer(dir, port, process);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        Clamd client = new Clamd(ScanSettings.address(server.unixSocket()), Duration.ofSeconds(2));
        while (true) {
            try {
                client.ping();
                new Clamd(ScanSettings.address(server.tcp()), Duration.ofSeconds(2)).ping();
                return server;
            } catch (IOException e) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    server.close();
                    throw new IOException("clamd did not start: " + Files.readString(dir.resolve("clamd.out")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static Path binary() throws IOException, InterruptedException {
        for (Path p : BINARIES) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            install();
            for (Path p : BINARIES) {
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String why = "clamd is not installed (Debian: apt-get install clamav-daemon)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        org.junit.jupiter.api.Assumptions.abort(why);
        throw new IllegalStateException(why);
    }

    private static synchronized void install() throws IOException, InterruptedException {
        // Test JVMs run side by side: the second waits for the first's dpkg lock instead of failing on it.
        String get = "apt-get -y -q -o DPkg::Lock::Timeout=600 ";
        String install = get + "install --no-install-recommends clamav-daemon";
        ProcessBuilder apt = new ProcessBuilder("sh", "-c", install + " || (" + get + "update && " + install + ")")
                .redirectErrorStream(true);
        apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = apt.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
    }

    /** {@code STOWAGE_CLAMD} for the unix socket. */
    public String unixSocket() {
        return dir.resolve("clamd.sock").toString();
    }

    /** {@code STOWAGE_CLAMD} for the TCP port. */
    public String tcp() {
        return "127.0.0.1:" + port;
    }

    /** Kills clamd at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
