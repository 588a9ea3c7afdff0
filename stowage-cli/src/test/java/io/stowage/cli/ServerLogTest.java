package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StowageConfig;
import io.stowage.layer.LoggingLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * The server's log file (decision 0059) on a logger context of the test's own: logback's size-and-time policy rolls
 * it into gzipped archives, removes those past the total size cap and the days kept, every line names a correlation
 * id; and the {@code logging:} settings that cannot be used are refused, naming the setting.
 */
class ServerLogTest {

    private static final long KIB = 1024;

    @TempDir
    Path dir;

    @Test
    void the_file_rolls_at_its_size_into_gzipped_archives_and_the_oldest_go_past_the_total_cap() throws IOException {
        Path file = dir.resolve("logs").resolve("stowage.log");
        LogSettings settings = new LogSettings(Optional.of(file), 2 * KIB, 30, 6 * KIB);
        LoggerContext context = context();
        ServerLog.install(context, settings, file);
        Logger log = context.getLogger("io.stowage.server.Requests");
        MDC.put(LoggingLayer.CORRELATION_ID, "req-1234");
        try {
            // About 60 KiB of lines that do not compress to nothing: some 30 files' worth at 2 KiB each, in bursts of
            // ten lines (under one file's worth), each let settle before the next: see awaitSettled.
            for (int i = 0; i < 400; i++) {
                log.warn("line {} of the test {} {}", i, UUID.randomUUID(), UUID.randomUUID());
                if (i % 10 == 9) {
                    awaitSettled(context, file.getParent());
                }
            }
        } finally {
            MDC.remove(LoggingLayer.CORRELATION_ID);
        }
        log.error("the last line, logged where no request is");
        awaitSettled(context, file.getParent());
        context.stop();

        List<Path> archives = archives(file);
        assertThat(archives).isNotEmpty().allSatisfy(a -> assertThat(a.getFileName().toString())
                .matches("stowage\\.\\d{4}-\\d\\d-\\d\\d\\.\\d+\\.log\\.gz"));
        long archived = 0;
        for (Path a : archives) {
            archived += Files.size(a);
            String lines = gunzip(a);
            assertThat(lines.lines()).isNotEmpty().allMatch(l -> l.matches(
                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN \\[.+] Requests - line \\d+ of the test .*"
                            + " correlation_id=req-1234"));
        }
        // The policy removed the oldest archives: the first ones rolled are gone, the total is near the cap (an archive
        // or two may land while the last removal runs).
        int rolled = archives.stream().mapToInt(ServerLogTest::index).max().orElseThrow() + 1;
        assertThat(archives.size()).isLessThan(rolled);
        assertThat(archives).noneMatch(a -> index(a) == 0);
        assertThat(archived).isLessThanOrEqualTo(6 * KIB + 2 * 2 * KIB);
        String active = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(active.length()).isLessThan((int) (3 * KIB));
        assertThat(active).contains("ERROR [").contains(" Requests - the last line, logged where no request is");
    }

    @Test
    void archives_older_than_the_days_kept_are_removed_when_the_server_starts() throws IOException {
        Path file = dir.resolve("stowage.log");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path old = Files.writeString(dir.resolve("stowage." + today.minusDays(6) + ".0.log.gz"), "old");
        Path recent = Files.writeString(dir.resolve("stowage." + today + ".0.log.gz"), "recent");
        Path foreign = Files.writeString(dir.resolve("other." + today.minusDays(6) + ".0.log.gz"), "not ours");
        LoggerContext context = context();

        ServerLog.install(context, new LogSettings(Optional.of(file), 10 * KIB, 2, 100 * KIB), file);
        context.getLogger("x").warn("started");
        context.stop();

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(foreign).exists();
    }

    @Test
    void a_file_in_a_folder_that_cannot_be_made_is_a_configuration_problem_naming_it() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notAFolder.resolve("stowage.log");
        LoggerContext context = context();

        Throwable refused = catchThrowable(() -> ServerLog.install(context, new LogSettings(Optional.of(file), KIB, 1,
                KIB), file));

        assertThat(refused).isInstanceOf(StorageException.class).hasMessageContaining(file.toString());
        assertThat(((StorageException) refused).kind()).isEqualTo(ErrorKind.CONFIG);
        context.stop();
    }

    @Test
    void the_settings_have_defaults_and_no_file_means_the_console() {
        LogSettings s = LogSettings.from(config(Map.of()));

        assertThat(s.file()).isEmpty();
        assertThat(s.maxFileSize()).isEqualTo(10L << 20);
        assertThat(s.maxHistoryDays()).isEqualTo(30);
        assertThat(s.totalSizeCap()).isEqualTo(1L << 30);
        assertThat(LogSettings.from(config(Map.of("STOWAGE_LOG_FILE", "logs/s.log", "STOWAGE_LOG_MAX_FILE_SIZE", "1MiB",
                "STOWAGE_LOG_MAX_HISTORY_DAYS", "7", "STOWAGE_LOG_TOTAL_SIZE_CAP", "64MiB"))))
                .isEqualTo(new LogSettings(Optional.of(Path.of("logs/s.log")), 1L << 20, 7, 64L << 20));
    }

    @Test
    void settings_that_cannot_be_used_are_refused_naming_each() {
        assertThat(catchThrowable(() -> config(Map.of("STOWAGE_LOG_MAX_FILE_SIZE", "lots"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("STOWAGE_LOG_MAX_FILE_SIZE")
                .hasMessageContaining("lots");
        assertThat(catchThrowable(() -> config(Map.of("STOWAGE_LOG_MAX_HISTORY_DAYS", "a week"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("STOWAGE_LOG_MAX_HISTORY_DAYS");

        Throwable refused = catchThrowable(() -> LogSettings.from(config(Map.of("STOWAGE_LOG_MAX_HISTORY_DAYS", "0",
                "STOWAGE_LOG_MAX_FILE_SIZE", "0", "STOWAGE_LOG_TOTAL_SIZE_CAP", "1KiB"))));

        assertThat(refused).isInstanceOf(InvalidConfigException.class);
        assertThat(((InvalidConfigException) refused).kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(((InvalidConfigException) refused).problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("STOWAGE_LOG_MAX_FILE_SIZE").contains("positive"))
                .anySatisfy(p -> assertThat(p).startsWith("STOWAGE_LOG_MAX_HISTORY_DAYS").contains("1 to 36500"));
        Throwable small = catchThrowable(() -> LogSettings.from(config(Map.of("STOWAGE_LOG_MAX_FILE_SIZE", "8MiB",
                "STOWAGE_LOG_TOTAL_SIZE_CAP", "1MiB"))));
        assertThat(((InvalidConfigException) small).problems()).singleElement().asString()
                .startsWith("STOWAGE_LOG_TOTAL_SIZE_CAP").contains("STOWAGE_LOG_MAX_FILE_SIZE");
    }

    @Test
    void serve_with_a_size_that_is_not_one_is_refused_at_start_as_a_configuration_problem() {
        CliHarness cli = new CliHarness(dir);
        cli.env.put("STOWAGE_HOME", dir.resolve("state").toString());
        cli.env.put("STOWAGE_LOG_FILE", dir.resolve("stowage.log").toString());
        cli.env.put("STOWAGE_LOG_MAX_FILE_SIZE", "ten megabytes");

        CliHarness.Result r = cli.run("serve", "--port", "0");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.of(ErrorKind.CONFIG));
        assertThat(r.err()).startsWith("stowage: ").contains("STOWAGE_LOG_MAX_FILE_SIZE").contains("ten megabytes");
        assertThat(dir.resolve("stowage.log")).doesNotExist();
        assertThat(dir.resolve("state")).doesNotExist();
    }

    /** A logger context of this test's own, reading the MDC that slf4j's {@code MDC} writes. */
    @Test
    void a_server_logging_to_its_file_keeps_info_lines_unless_a_level_is_asked_for() throws IOException {
        Path file = dir.resolve("stowage.log");
        LoggerContext context = context();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        ServerLog.install(context, new LogSettings(Optional.of(file), 10 * KIB, 2, 100 * KIB), file);
        ServerLog.defaultLevel(context, Map.of());
        context.getLogger("io.stowage.service.Maintenance").info("maintenance job scrub ok");
        // LOG_LEVEL=warn, as CliLogging applied it at the command's start: the server leaves it.
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        ServerLog.defaultLevel(context, Map.of("LOG_LEVEL", "warn"));
        context.getLogger("io.stowage.service.Maintenance").info("an info line past a level asked for");
        context.stop();

        assertThat(Files.readString(file)).contains("maintenance job scrub ok")
                .doesNotContain("an info line past a level asked for");
    }

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        return context;
    }

    private StowageConfig config(Map<String, String> env) {
        return StowageConfig.load(ConfigSources.of(new HashMap<>(env), dir));
    }

    /**
     * Waits (bounded) until the policy has compressed every rolled file: it renames each to {@code *.tmp} and
     * compresses it in the background, removing the {@code .tmp} when the archive is whole.
     */
    static void awaitCompressed(Path dir) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Stream<Path> all = Files.list(dir)) {
                if (all.noneMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("rolled files still being compressed in " + dir).isLessThan(deadline);
            pause();
        }
    }

    /**
     * Waits (bounded) until every roll so far has been compressed and the policy's removal after it has run. Each roll
     * starts its removal of archives past the cap in the background; rolls many times a millisecond apart start
     * removals that run side by side on listings taken at different moments, and between them they can remove the
     * newest archives too (half the runs of this test without the wait). A server's log rolls at megabytes, seconds
     * apart at the least, so the test rolls as one does: one removal done before the next roll.
     */
    private static void awaitSettled(LoggerContext context, Path dir) throws IOException {
        awaitCompressed(dir);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> messages = context.getStatusManager().getCopyOfStatusList().stream().map(Status::getMessage)
                    .toList();
            int first = Math.max(0, messages.indexOf(messages.stream().filter(m -> m.startsWith("Renaming file"))
                    .findFirst().orElse("")));
            long rolls = messages.stream().filter(m -> m.startsWith("Renaming file")).count();
            // After the first roll: the removal the policy runs at start may or may not report on the cap.
            long removals = messages.subList(first, messages.size()).stream().filter(m -> m.contains(
                    "on account of totalSizeCap") && (m.startsWith("No removal attempts") || m.startsWith("Removed")))
                    .count();
            if (removals >= rolls) {
                return;
            }
            assertThat(System.nanoTime()).as("removals after the rolls in " + dir).isLessThan(deadline);
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> archives(Path file) throws IOException {
        try (Stream<Path> all = Files.list(file.getParent())) {
            return all.filter(p -> p.getFileName().toString().endsWith(".gz")).sorted().toList();
        }
    }

    /** The {@code %i} of an archive's name: how many rolled before it on its day. */
    private static int index(Path archive) {
        String[] parts = archive.getFileName().toString().split("\\.");
        return Integer.parseInt(parts[parts.length - 3]);
    }

    private static String gunzip(Path archive) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
