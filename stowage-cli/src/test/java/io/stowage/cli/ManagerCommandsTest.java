package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** health, replay, verify and routing through the storage manager, over two local backends. */
class ManagerCommandsTest {

    @TempDir
    Path wd;

    CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness(wd);
        cli.env.remove("PRIMARY_BACKEND");
        cli.env.put("STOWAGE_HOME", wd.resolve("home").toString());
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  main: { type: local, path: main }
                  copy: { type: local, path: copy }
                primary: main
                mirror: [copy]
                """);
        Files.writeString(wd.resolve("a.txt"), "hello");
    }

    @Test
    void a_put_is_mirrored_and_verify_health_replay_and_backends_report_on_it() {
        CliHarness.Result put = cli.run("put", "a.txt", "docs/a.txt");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(wd.resolve("copy")).isDirectory();

        CliHarness.Result verify = cli.run("verify");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("checked 1, missing 0, differing 0, extra 0, repaired 0");

        CliHarness.Result health = cli.run("health");
        assertThat(health.exitCode()).as(health.err()).isZero();
        assertThat(health.out()).containsPattern("main +up +\\d+ ms +closed").containsPattern("copy +up +\\d+ ms +closed")
                .contains("writes go to: main");

        CliHarness.Result replay = cli.run("replay");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replayed 0, superseded 0, failed 0, still journalled 0");

        CliHarness.Result backends = cli.run("backends");
        assertThat(backends.out()).contains("Routing:").contains("mirror:   copy");
    }
}
