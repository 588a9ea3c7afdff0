package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.ErrorKind;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code stowage keys} refuses, in-process on an SQLite catalog: one line on stderr and an exit code per kind. */
class KeysCommandTest {

    @TempDir
    Path wd;
    CliHarness cli;

    @BeforeEach
    void harness() {
        cli = new CliHarness(wd);
        cli.env.put("STOWAGE_HOME", wd.resolve("state").toString());
    }

    void refused(int code, String message, String... args) {
        CliHarness.Result r = cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(message);
    }

    @Test
    void bad_owners_scopes_and_expiries_are_invalid_and_make_no_key() {
        int invalid = ExitCodes.of(ErrorKind.INVALID_ARGUMENT);

        refused(invalid, "stowage: owner id must be", "keys", "create", "--owner", "../x");
        refused(invalid, "stowage: unknown scope 'root'", "keys", "create", "--owner", "dave", "--scopes", "root");
        refused(invalid, "stowage: a key needs at least one scope", "keys", "create", "--owner", "dave", "--scopes", ",");
        refused(invalid, "stowage: --expires-at must be an ISO-8601 instant", "keys", "create", "--owner", "dave",
                "--expires-at", "yesterday");
        refused(invalid, "stowage: a key's expiry must be in the future", "keys", "create", "--owner", "dave",
                "--expires-at", "2000-01-01T00:00:00Z");
        refused(ExitCodes.of(ErrorKind.CONFIG), "--expires-in must be a duration", "keys", "create", "--owner", "dave",
                "--expires-in", "soon");

        assertThat(cli.run("keys", "list").out()).isEmpty();
    }

    @Test
    void wrong_usage_is_a_usage_error() {
        refused(ExitCodes.USAGE, "--owner", "keys", "create");
        refused(ExitCodes.USAGE, "mutually exclusive", "keys", "create", "--owner", "dave", "--expires-in", "1d",
                "--expires-at", "2099-01-01T00:00:00Z");
        refused(ExitCodes.USAGE, "<id>", "keys", "revoke");
    }

    @Test
    void revoking_a_key_that_does_not_exist_is_not_found() {
        refused(ExitCodes.of(ErrorKind.NOT_FOUND), "stowage: no API key '?' in use", "keys", "revoke", "nope");
    }

    @Test
    void a_key_made_in_process_is_listed_as_active_with_its_expiry() {
        CliHarness.Result made = cli.run("keys", "create", "--owner", "erin", "--scopes", "read", "--expires-in", "30d");

        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out().strip()).matches("stw_[0-9a-z]{26}_[0-9a-f]{64}");
        assertThat(made.err()).contains("for erin (read), expires 20");
        assertThat(cli.run("keys", "list").out()).containsPattern("  erin +read +\\S+ \\S+  \\S+ \\S+  active")
                .doesNotContain(made.out().strip());
    }
}
