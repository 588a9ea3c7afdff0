package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.TestDatabase;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stowage serve} with {@code STOWAGE_LOG_FILE} as a real process (decision 0059): at debug level a few
 * requests fill a file of 2 KiB many times over, logback rolls it into gzipped archives beside it, every line
 * in them names a correlation id (the request's where there is one), no line holds the admin key, and stderr keeps
 * the command's own messages only.
 */
class ServeLogFileIT {

    @TempDir
    Path tmp;

    @Test
    void serve_logs_to_its_rolled_file_with_correlation_ids_and_no_credentials() throws Exception {
        Path home = tmp.resolve("home");
        Path work = tmp.resolve("work");
        Map<String, String> env = new HashMap<>(TestDatabase.SQLITE.settings(home));
        env.put("PRIMARY_BACKEND", "local");
        env.put("LOG_LEVEL", "debug");
        env.put("STOWAGE_LOG_FILE", "logs/stowage.log");
        env.put("STOWAGE_LOG_MAX_FILE_SIZE", "2KiB");
        env.put("STOWAGE_LOG_TOTAL_SIZE_CAP", "4MiB");
        HttpClient http = HttpClient.newHttpClient();
        String key;
        try (ServeProcess server = ServeProcess.start(LauncherRun.LAUNCHER, work, env, "server")) {
            key = Files.readString(home.resolve("admin.key"), StandardCharsets.US_ASCII).strip();
            assertThat(server.out()).contains("logging to " + work.resolve("logs").resolve("stowage.log"));
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> saved = http.send(HttpRequest.newBuilder(server.uri("/v1/files?name=f" + i + ".txt"))
                        .header("Authorization", "Bearer " + key).header("X-Request-Id", "it-save-" + i)
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("file " + i))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
            }
            ServerLogTest.awaitCompressed(work.resolve("logs"));
            assertThat(server.terminate()).as(server.err()).isIn(0, 143);
            assertThat(server.err()).as("stderr keeps the command's own lines").contains("stowage: stopped");
            assertThat(server.err().lines()).as("no log line on stderr")
                    .noneMatch(l -> l.matches("(TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - .*"));
        }

        Path logs = work.resolve("logs");
        List<Path> archives;
        try (Stream<Path> all = Files.list(logs)) {
            archives = all.filter(p -> p.getFileName().toString().endsWith(".log.gz")).sorted().toList();
        }
        assertThat(archives).as("rolled archives in " + logs).hasSizeGreaterThan(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(logs.resolve("stowage.log"), StandardCharsets.UTF_8));
        for (Path a : archives) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(a))) {
                lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        List<String> logLines = lines.stream().filter(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.*")).toList();
        assertThat(logLines).hasSizeGreaterThan(100)
                .allSatisfy(l -> assertThat(l).containsPattern(" correlation_id=\\S+"));
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("correlation_id=it-save-3"));
        assertThat(lines).noneMatch(l -> l.contains(key));
    }
}
