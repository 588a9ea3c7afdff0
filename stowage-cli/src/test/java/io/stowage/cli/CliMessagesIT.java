package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code bin/stowage} says when the user got something wrong, and what its help shows. */
class CliMessagesIT {

    @TempDir
    Path tmp;

    @Test
    void mistakes_are_named_in_the_users_words_and_not_in_the_parsers() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                mkdir some-dir
                echo x > f.txt
                set +e
                "$STOWAGE" put some-dir k; echo "dir-rc=$?"
                "$STOWAGE" put f.txt k --meta owner; echo "meta-rc=$?"
                "$STOWAGE" bogus; echo "bogus-rc=$?"
                "$STOWAGE" ls a b; echo "extra-rc=$?"
                "$STOWAGE" stat; echo "missing-rc=$?"
                "$STOWAGE" get --bogus k out; echo "option-rc=$?"
                "$STOWAGE" put f.txt k > /dev/null
                "$STOWAGE" get k /sys/stowage-cannot-write-here; echo "unwritable-rc=$?"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).as(r.err()).contains("dir-rc=21", "meta-rc=2", "bogus-rc=2", "extra-rc=2", "missing-rc=2",
                "option-rc=2", "unwritable-rc=21");
        assertThat(r.err().lines().toList()).containsExactly(
                "stowage: some-dir: is a directory (put stores one file; name a file in it, or store them all with --recursive)",
                "stowage: --meta takes <k=v>, got 'owner' (see 'stowage put --help')",
                "stowage: 'bogus' is not a stowage command (see 'stowage --help')",
                "stowage: 'stowage ls' takes no further argument, got 'b' (see 'stowage ls --help')",
                "stowage: missing <key> (see 'stowage stat --help')",
                "stowage: 'stowage get' has no option '--bogus' (see 'stowage get --help')",
                "stowage: permission denied: /sys/stowage-cannot-write-here");
    }

    @Test
    void only_the_top_level_help_lists_the_exit_codes_and_every_argument_is_described() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                "$STOWAGE" --help > top.txt
                "$STOWAGE" ls --help
                "$STOWAGE" get --help
                grep -c 'INTEGRITY' top.txt
                """, Map.of());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("INTEGRITY", "[[prefix]]")
                .contains("Exit codes: see 'stowage --help'.")
                .contains("[<prefix>]")
                .containsPattern("\\[<prefix>] +list keys starting with this")
                .containsPattern("<key> +stored key to read");
        assertThat(r.out().strip()).endsWith("1");
    }
}
