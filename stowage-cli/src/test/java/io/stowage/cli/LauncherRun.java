package io.stowage.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a bash script that calls {@code bin/stowage} (as {@code $STOWAGE}) as real processes against the
 * packaged jar, in {@code <dir>/work}, under the C locale and with a clean environment.
 */
final class LauncherRun {

    static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath().normalize().resolveSibling("bin").resolve("stowage");

    /** The environment of a local-disk primary with its state in {@code work/state}. */
    static final Map<String, String> LOCAL = Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state");

    /** What the script printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private LauncherRun() {
    }

    /** The directory scripts run in (created). */
    static Path work(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("work"));
    }

    static Run bash(Path dir, String script, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path work = work(dir);
        Path file = dir.resolve("run.sh");
        Files.writeString(file, "set -euo pipefail\n" + script, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("TMPDIR"));
        env.put("LANG", "C");
        env.put("LC_ALL", "C");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("STOWAGE", LAUNCHER.toString());
        env.putAll(extraEnv);
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/stowage did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
