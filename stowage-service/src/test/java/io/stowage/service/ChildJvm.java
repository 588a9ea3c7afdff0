package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the tests run in a JVM of its own on the test's class path, for the tests that kill a process
 * with SIGKILL ({@link CrashSafetySpec}, {@link MigrationMatrixSpec}): the child says on stdout where it has got to,
 * the test waits for that line and kills it. Its stderr goes to a file in the test's folder, shown when the child
 * says something else or nothing.
 */
final class ChildJvm implements AutoCloseable {

    /** Generous: a JVM starting on two loaded cores. */
    static final Duration BOUND = Duration.ofSeconds(180);
    private static final String EXIT = "<exit>";

    private final Process process;
    private final Path err;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, Path err) {
        this.process = process;
        this.err = err;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (IOException e) {
                // the child is gone
            }
            lines.add(EXIT);
        });
    }

    /** Starts {@code main} with {@code args}; its stderr goes to a new file in {@code dir}. */
    static ChildJvm start(Path dir, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", sqliteNativeIn(dir), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Path err = Files.createTempFile(dir, "child", ".err");
        return new ChildJvm(new ProcessBuilder(command).redirectError(err.toFile()).start(), err);
    }

    /**
     * The child is killed with SIGKILL, so sqlite-jdbc's extracted native library and its {@code .lck} outlive
     * it; in the system's temporary directory nothing would remove them (sqlite-jdbc deletes an old library only
     * when its {@code .lck} is gone). In the test's own folder they go with it.
     */
    static String sqliteNativeIn(Path dir) {
        return "-Dorg.sqlite.tmpdir=" + dir.toAbsolutePath();
    }

    /** The child's next line on stdout, which must start with {@code expected}; fails after {@link #BOUND}. */
    String awaitLine(String expected) throws IOException, InterruptedException {
        return awaitLine(expected, BOUND);
    }

    /** As {@link #awaitLine(String)}, for a line that comes after work that takes longer than a start-up. */
    String awaitLine(String expected, Duration bound) throws IOException, InterruptedException {
        String line = lines.poll(bound.toSeconds(), TimeUnit.SECONDS);
        assertThat(line).as("what the child said; its stderr:\n%s", Files.readString(err)).startsWith(expected);
        return line;
    }

    /** Kills the child with SIGKILL (no shutdown hook, no finally, no rollback) and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor();
    }

    /** Kills the child and checks it died of SIGKILL rather than of its own accord. */
    void kill() throws InterruptedException {
        close();
        assertThat(process.exitValue()).as("the child's exit status").isEqualTo(137);
    }
}
