package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.Await;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
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
    @Test
    void put_with_a_tier_lands_on_the_backend_of_that_tier_and_backends_shows_routing_and_layers_with_secrets_masked()
            throws Exception {
        String secret = "cold-secret-value-never-printed";
        cli.env.put("COLD_SECRET", secret);
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  main: { type: local, path: main }
                  copy: { type: local, path: copy }
                  cold: { type: local, path: cold, secret_key: "${COLD_SECRET}", retry: { max_attempts: 6 } }
                primary: main
                mirror: [copy]
                tiers: { COLD: cold }
                layers:
                  retry: { budget: 20s }
                  timeout: { metadata: 5s }
                """);
        CliHarness.Result put = cli.run("put", "a.txt", "docs/a.txt", "--tier", "cold");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.out()).contains("tier COLD on cold");
        CliHarness.Result stat = cli.run("stat", "docs/a.txt");
        assertThat(stat.exitCode()).as(stat.err()).isZero();
        assertThat(stat.out()).contains("cold");
        assertThat(cli.run("get", "docs/a.txt", "-").out()).isEqualTo("hello");
        assertThat(cli.run("verify").out()).as("a tier's own backend is not a mirror").contains("checked 0,");

        CliHarness.Result backends = cli.run("backends");
        assertThat(backends.exitCode()).as(backends.err()).isZero();
        assertThat(backends.out())
                .contains("  mirror:   copy  (sync)")
                .contains("  tiers:    COLD -> cold")
                .contains("  health probes every 30s")
                .containsPattern("  cold \\(local\\)\\n(    .*\\n)*    secret_key: \\*\\*\\*\\*")
                .contains("    retry:   6 attempts, backoff 100ms to 5s, budget 20s")
                .contains("    retry:   3 attempts, backoff 100ms to 5s, budget 20s")
                .contains("    timeout: metadata 5s, first byte 30s, read idle 1m, write 30m")
                .contains("    circuit: opens at 50% failures of the last 20 calls (10 at least), open 30s, 3 trial calls")
                .doesNotContain(secret);

        CliHarness.Result bad = cli.run("put", "a.txt", "docs/b.txt", "--tier", "lukewarm");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.INVALID_ARGUMENT));
        assertThat(bad.err()).contains("unknown tier 'lukewarm'");
    }

    @Test
    void tier_moves_a_stored_key_to_the_backend_of_its_new_tier_and_back() throws Exception {
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  main: { type: local, path: main }
                  cold: { type: local, path: cold }
                primary: main
                tiers: { HOT: main, COLD: cold }
                """);
        assertThat(cli.run("put", "a.txt", "docs/a.txt").exitCode()).isZero();

        CliHarness.Result toCold = cli.run("tier", "docs/a.txt", "cold");
        assertThat(toCold.exitCode()).as(toCold.err()).isZero();
        assertThat(toCold.out()).isEqualTo("docs/a.txt is now COLD on cold\n");
        assertThat(cli.run("stat", "docs/a.txt").out()).containsPattern("backend: +cold");
        assertThat(cli.run("get", "docs/a.txt", "-").out()).isEqualTo("hello");

        CliHarness.Result toHot = cli.run("tier", "docs/a.txt", "HOT");
        assertThat(toHot.exitCode()).as(toHot.err()).isZero();
        assertThat(toHot.out()).isEqualTo("docs/a.txt is now HOT on main\n");
        assertThat(cli.run("stat", "docs/a.txt").out()).containsPattern("backend: +main");

        CliHarness.Result unknown = cli.run("tier", "docs/a.txt", "tepid");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.INVALID_ARGUMENT));
        assertThat(unknown.err()).isEqualTo("stowage: unknown tier 'tepid' (expected HOT, WARM, COLD or ARCHIVE)\n");
        CliHarness.Result missing = cli.run("tier", "docs/none.txt", "COLD");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.NOT_FOUND));
    }

    @Test
    void tier_on_a_backend_without_tiers_says_so() throws Exception {
        Files.delete(wd.resolve("stowage.yaml"));
        CliHarness.Result r = cli.run("tier", "docs/a.txt", "COLD");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.UNSUPPORTED));
        assertThat(r.err()).contains("does not support tiers");
    }

    @Test
    void a_primary_whose_type_cannot_be_opened_refuses_puts_and_health_says_it_is_refusing() throws Exception {
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  cloud: { type: no_such_type }
                  spare: { type: local, path: spare }
                primary: cloud
                fallback: [spare]
                """);
        CliHarness.Result put = cli.run("put", "a.txt", "docs/a.txt");
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.CONFIG));
        assertThat(put.err()).contains("could not be opened").contains("no_such_type");
        try (var files = Files.walk(wd.resolve("spare"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString)).as("nothing hidden on the fallback")
                    .noneMatch(f -> f.contains("a.txt"));
        }
        CliHarness.Result health = cli.run("health");
        assertThat(health.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.CONFIG));
        assertThat(health.out()).containsPattern("cloud +refusing .*CONFIG: could not be opened: ")
                .contains("writes go to: (none)").contains("overall: refusing").contains("journalled writes: 0")
                .contains("refusing: primary 'cloud' is refusing (CONFIG: could not be opened: ")
                .contains("writes fail with its error, they are not sent to a fallback");
    }

    /**
     * Runs {@code stowage health --watch --changes 1} over a memory primary, and once it has probed twice
     * applies {@code change} to the primary; returns what the command printed when it ended.
     */
    private AtomicReference<CliHarness.Result> watchOneChange(java.util.function.Consumer<FaultyBlobStore> change)
            throws Exception {
        Files.delete(wd.resolve("stowage.yaml"));
        cli.env.put("PRIMARY_BACKEND", "memory");
        cli.env.put("STOWAGE_HEALTH_INTERVAL", "20ms");
        AtomicReference<FaultyBlobStore> opened = new AtomicReference<>();
        cli.wrap = store -> {
            FaultyBlobStore f = new FaultyBlobStore(store);
            opened.set(f);
            return f;
        };
        AtomicReference<CliHarness.Result> result = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().daemon().start(
                () -> result.set(cli.run("health", "--watch", "--changes", "1")));
        Await.until(Duration.ofSeconds(20), "the first probe and one in the background",
                () -> opened.get() != null && opened.get().calls() >= 2);
        change.accept(opened.get());
        watcher.join(Duration.ofSeconds(20));
        assertThat(result.get()).as("health --watch returned after one change").isNotNull();
        return result;
    }

    @Test
    void health_watch_prints_a_line_when_a_backend_starts_refusing_with_its_error_kind() throws Exception {
        AtomicReference<CliHarness.Result> result = watchOneChange(FaultyBlobStore::refuse);
        assertThat(result.get().out()).containsPattern("memory +up -> refusing +\\d+ ms +circuit closed +"
                + "PERMISSION_DENIED: " + java.util.regex.Pattern.quote(FaultyBlobStore.REFUSAL));
        cli.wrap = store -> new FaultyBlobStore(store).refuse();
        CliHarness.Result health = cli.run("health");
        assertThat(health.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.PERMISSION_DENIED));
        assertThat(health.out()).containsPattern("memory +refusing").contains("overall: refusing");
    }

    @Test
    void health_watch_prints_a_line_when_a_backend_changes_state() throws Exception {
        AtomicReference<CliHarness.Result> result = watchOneChange(FaultyBlobStore::down);
        assertThat(result.get().exitCode()).as(result.get().err()).isZero();
        assertThat(result.get().out()).contains("watching; a line per change of state")
                .containsPattern("memory +up -> down +\\d+ ms +circuit closed");
    }
}
