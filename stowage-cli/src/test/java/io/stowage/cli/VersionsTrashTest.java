package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions and the trash, on by default on local disk, in-process: what each command prints and returns.
 * {@link VersionsTrashIT} reaches them through {@code bin/stowage}.
 */
class VersionsTrashTest {

    @TempDir
    Path wd;
    CliHarness cli;

    @BeforeEach
    void harness() {
        cli = new CliHarness(wd);
        cli.env.put("PRIMARY_BACKEND", "local");
        cli.env.put("STOWAGE_HOME", wd.resolve("state").toString());
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = cli.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    private CliHarness.Result put(String key, String content) {
        return ok(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "put", "-", key);
    }

    private CliHarness.Result ok(ByteArrayInputStream stdin, String... args) {
        CliHarness.Result r = cli.run(stdin, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    @Test
    void an_older_version_is_read_with_get_version_and_made_current_with_restore_version() {
        put("k.txt", "first\n");
        put("k.txt", "second\n");
        String old = ok("versions", "k.txt").out().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+")[3];

        assertThat(ok("get", "--version", old, "k.txt", "-").out()).isEqualTo("first\n");
        assertThat(ok("restore-version", "k.txt", old).out())
                .containsPattern("restored k\\.txt to version \\S+  6 bytes");
        assertThat(ok("get", "k.txt", "-").out()).isEqualTo("first\n");
        assertThat(ok("versions", "k.txt").out().lines()).hasSize(3);
        CliHarness.Result missing = cli.run("get", "--version", "no-such-version", "k.txt", "-");
        assertThat(missing.exitCode()).isEqualTo(4);
        assertThat(missing.out()).isEmpty();
    }

    @Test
    void a_deleted_key_is_listed_in_the_trash_undeleted_and_purged_and_a_backend_without_trash_says_unsupported() {
        put("docs/k.txt", "content\n");
        ok("rm", "docs/k.txt");
        assertThat(ok("trash", "docs/").out())
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +8 docs/k\\.txt");
        assertThat(ok("undelete", "docs/k.txt").out()).contains("undeleted docs/k.txt  8 bytes");
        assertThat(ok("get", "docs/k.txt", "-").out()).isEqualTo("content\n");
        ok("rm", "docs/k.txt");
        assertThat(ok("purge", "docs/k.txt").out()).contains("purged docs/k.txt");
        assertThat(ok("trash").out()).isEmpty();
        assertThat(cli.run("undelete", "docs/k.txt").exitCode()).isEqualTo(4);

        cli.env.put("PRIMARY_BACKEND", "memory");
        CliHarness.Result memory = cli.run("trash");
        assertThat(memory.exitCode()).isEqualTo(15);
        assertThat(memory.err()).contains("stowage: backend 'memory' has no trash (deletes there are final)");
    }
}
