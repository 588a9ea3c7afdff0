package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.ErrorKind;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.TestDatabase;
import io.stowage.service.auth.AuthenticationException;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage keys} on the configured catalog, the first as a real process of {@code bin/stowage}, the others
 * in-process, checked afterwards through the service on the same catalog: what the CLI makes authenticates, what it
 * revokes is refused.
 */
abstract class KeysSpec {

    @TempDir
    Path tmp;

    abstract TestDatabase database();

    @AfterEach
    void dropDatabases() {
        TestDatabase.dropDatabases();
    }

    @Test
    void keys_are_made_listed_and_revoked_on_the_configured_catalog() throws Exception {
        Map<String, String> env = new HashMap<>(database().settings(LauncherRun.work(tmp).resolve("state")));
        env.put("PRIMARY_BACKEND", "local");

        // One command as a real process of bin/stowage: the catalog's drivers and migrations are in the
        // distribution and nothing but the note reaches stderr. The rest runs the same command code in-process
        // (a JVM start each would be most of this test's time) on the same catalog.
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                key="$("$STOWAGE" keys create --owner alice 2> create-err.txt)"
                echo "key=$key"
                echo "note=$(cat create-err.txt)"
                """, env);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String key = group(r.out(), "key=(stw_\\S+)");
        assertThat(key).matches("stw_[0-9a-z]{26}_[0-9a-f]{64}");
        assertThat(r.out()).as(r.err())
                .contains("note=made API key " + key.substring(4, key.lastIndexOf('_')) + " for alice (read, write),"
                        + " does not expire; it is shown this once");
        assertThat(r.err()).doesNotContain("INFO");

        CliHarness cli = new CliHarness(LauncherRun.work(tmp));
        cli.env.putAll(env);
        CliHarness.Result json = cli.run("keys", "create", "--owner", "bob", "--scopes", "read", "--expires-in", "30d",
                "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out().strip()).matches("\\{\"id\":\"[0-9a-z]{26}\",\"key\":\"stw_[0-9a-z_]+\",\"owner\":\"bob\","
                + "\"scopes\":\\[\"read\"\\],\"expiresAt\":\"20\\d\\d-[^\"]+Z\"\\}");
        CliHarness.Result made = cli.run("keys", "create", "--owner", "carol", "--scopes", "read,write,admin",
                "--expires-at", "2099-01-01T00:00:00Z");
        assertThat(made.exitCode()).as(made.err()).isZero();
        String gone = made.out().strip();
        String goneId = gone.substring(4, gone.lastIndexOf('_'));
        CliHarness.Result revoked = cli.run("keys", "revoke", goneId);
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked " + goneId);
        CliHarness.Result list = cli.run("keys", "list");
        assertThat(list.out()).as(list.err())
                .containsPattern(goneId + "  carol +read,write,admin +\\S+ \\S+  \\S+ \\S+ +revoked")
                .containsPattern("[0-9a-z]{26}  alice +read,write +\\S+ \\S+  never +active")
                .doesNotContain(key.substring(key.lastIndexOf('_') + 1))
                .doesNotContain(gone.substring(gone.lastIndexOf('_') + 1));
        String listJson = cli.run("keys", "list", "--json").out();
        assertThat(listJson).startsWith("[{\"id\":").contains("\"owner\":\"alice\"", "\"revokedAt\":null")
                .doesNotContain(key.substring(key.lastIndexOf('_') + 1))
                .doesNotContain(gone.substring(gone.lastIndexOf('_') + 1));
        CliHarness.Result again = cli.run("keys", "revoke", goneId);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.NOT_FOUND));
        assertThat(again.err()).contains("stowage: no API key '" + goneId + "' in use");

        try (LocalBlobStore store = LocalBlobStore.open(tmp.resolve("blobs"));
             StorageService service = StorageService.open(ServiceSettings.from(StowageConfig.load(
                     ConfigSources.of(env, tmp))), store)) {
            Principal alice = service.apiKeys().authenticate(key);
            assertThat(alice.owner()).isEqualTo("alice");
            assertThat(alice.scopes()).isEqualTo(Set.of(Scope.READ, Scope.WRITE));
            assertThat(catchThrowable(() -> service.apiKeys().authenticate(gone)))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("revoked");
            assertThat(service.apiKeys().list()).hasSize(3);
        }
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'" + regex + "' in:\n" + text).isTrue();
        return m.group(1);
    }
}
