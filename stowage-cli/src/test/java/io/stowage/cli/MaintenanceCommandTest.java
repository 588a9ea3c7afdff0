package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stowage maintenance run|status} over the catalog of {@code STOWAGE_HOME} (decision 0054). */
class MaintenanceCommandTest {

    @TempDir
    Path wd;
    CliHarness cli;
    Path home;

    @BeforeEach
    void harness() {
        cli = new CliHarness(wd);
        home = wd.resolve("state");
        cli.env.put("STOWAGE_HOME", home.toString());
    }

    @Test
    void a_dry_run_counts_a_real_run_removes_and_status_shows_the_latest_run() throws IOException {
        Path old = Files.writeString(Files.createDirectories(home.resolve("tmp")).resolve("abandoned.part"), "stale");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        CliHarness.Result dry = cli.run("maintenance", "run", "temp-cleanup", "--dry-run");
        assertThat(old).exists();
        CliHarness.Result run = cli.run("maintenance", "run", "temp-cleanup");
        CliHarness.Result status = cli.run("maintenance", "status");
        CliHarness.Result json = cli.run("maintenance", "status", "--json");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("temp-cleanup (dry run): ok").containsPattern("removed +1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("removed +1").containsPattern("bytes +5");
        assertThat(old).doesNotExist();
        assertThat(status.out()).containsPattern("temp-cleanup +every 1h +\\S+ \\S+  ok  ")
                .containsPattern("scrub +every 7d +never run");
        assertThat(json.out()).contains("\"job\":\"temp-cleanup\"", "\"outcome\":\"ok\"", "\"interval\":\"PT1H\"");
    }

    @Test
    void an_unknown_job_is_not_found_and_a_missing_one_a_usage_error() {
        CliHarness.Result unknown = cli.run("maintenance", "run", "defrag");
        CliHarness.Result missing = cli.run("maintenance", "run");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.NOT_FOUND));
        assertThat(unknown.err()).contains("no maintenance job 'defrag'", "temp-cleanup");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
