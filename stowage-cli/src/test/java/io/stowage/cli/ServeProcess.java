package io.stowage.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code <launcher> serve --port 0} as a real process in a working directory, its output in files: started,
 * asked where it listens, stopped with SIGTERM or killed with SIGKILL. Closing it kills what is left.
 */
final class ServeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    /** The machine is shared: a JVM start with the catalog's migrations may take a while. */
    private static final long START_SECONDS = 180;

    private final Process process;
    private final Path out;
    private final Path err;
    private final URI uri;

    private ServeProcess(Process process, Path out, Path err, URI uri) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.uri = uri;
    }

    /** Starts {@code launcher serve --port 0} in {@code work} with a clean environment plus {@code env}. */
    static ServeProcess start(Path launcher, Path work, Map<String, String> env, String name) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path out = work.resolveSibling(name + ".out.txt");
        Path err = work.resolveSibling(name + ".err.txt");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "serve", "--port", "0").directory(work.toFile());
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("TMPDIR"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.putAll(env);
        // Some tests kill it with SIGKILL: sqlite-jdbc's native library and its .lck then stay where it extracted
        // them, so that is the test's folder (next to the out and err files), not the system's temporary directory.
        String sqliteTmp = "-Dorg.sqlite.tmpdir=" + work.toAbsolutePath().getParent();
        environment.merge("JAVA_OPTS", sqliteTmp, (given, ours) -> ours + " " + given);
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            Matcher m = LISTENING.matcher(printed);
            if (m.find() && printed.contains("stop with")) {
                return new ServeProcess(p, out, err, URI.create(m.group(1)));
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("stowage serve did not start: exit " + (p.isAlive() ? "-" : p.exitValue())
                        + "\n" + printed + Files.readString(err, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }

    URI uri(String pathAndQuery) {
        return uri.resolve(pathAndQuery);
    }

    int port() {
        return uri.getPort();
    }

    String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** SIGTERM, then waits for the process to end; returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    private int awaitExit() throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("stowage serve did not stop in 2 minutes");
        }
        return process.exitValue();
    }

    /**
     * Opens a raw upload of {@code declared} bytes as {@code key}'s and sends {@code sent} of them: the socket stays
     * open, the server's handler waits for the rest. Returns once the kernel took them (the server is reading).
     */
    Socket startUpload(String key, String name, long declared, long sent) throws IOException {
        Socket s = new Socket(uri.getHost(), uri.getPort());
        OutputStream o = s.getOutputStream();
        o.write(("POST /v1/files?name=" + name + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/octet-stream"
                + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'z');
        for (long left = sent; left > 0; left -= chunk.length) {
            o.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        o.flush();
        return s;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
