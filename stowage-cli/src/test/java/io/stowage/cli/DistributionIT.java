package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive the build makes ({@code target/stowage-<version>.tar.gz}), unpacked away from the
 * checkout and run by a Java runtime without compiler or build tools (made here with jlink from the standard
 * modules): {@code bin/stowage serve} starts and stores and returns a file over HTTP.
 */
class DistributionIT {

    @TempDir
    Path tmp;

    @Test
    void the_unpacked_archive_serves_with_a_java_runtime_alone() throws Exception {
        Path archive = archive();
        run(List.of("tar", "xzf", archive.toString(), "-C", tmp.toString()));
        Path unpacked;
        try (Stream<Path> dirs = Files.list(tmp)) {
            unpacked = dirs.filter(d -> d.getFileName().toString().startsWith("stowage-")).findFirst().orElseThrow();
        }
        assertThat(unpacked.resolve("bin/stowage")).isExecutable();
        try (Stream<Path> jars = Files.list(unpacked.resolve("lib"))) {
            assertThat(jars.map(j -> j.getFileName().toString())).anyMatch(j -> j.startsWith("stowage-cli-"))
                    .anyMatch(j -> j.startsWith("stowage-server-")).allMatch(j -> j.endsWith(".jar"));
        }
        Path runtime = tmp.resolve("runtime");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
                "--add-modules", "java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs",
                "--no-header-files", "--no-man-pages", "--output", runtime.toString()));
        assertThat(runtime.resolve("bin/javac")).doesNotExist();

        try (ServeProcess server = ServeProcess.start(unpacked.resolve("bin/stowage"), tmp.resolve("work"),
                Map.of("JAVA_HOME", runtime.toString(), "STOWAGE_HOME", tmp.resolve("home").toString()), "dist")) {
            String key = Files.readString(tmp.resolve("home/admin.key"), StandardCharsets.US_ASCII).strip();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(server.uri("/v1/files?name=hello.txt"))
                    .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString("from the archive"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            String location = up.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(server.uri(location + "/content"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.body()).isEqualTo("from the archive");
            assertThat(server.terminate()).isIn(0, 143);
        }
    }

    private static Path archive() throws IOException {
        Path target = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("stowage-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no stowage-<version>.tar.gz in " + target + ": run package first"));
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("cmd.txt").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(command + " failed: " + Files.readString(tmp.resolve("cmd.txt")));
        }
    }
}
